//! api_server library (being built).
