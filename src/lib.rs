//! RPA V4: the quote-job service.
//!
//! The module map is filled in as the service grows.
