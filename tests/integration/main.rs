//! The service's integration tests, in one crate (one build, one link). Every module spawns the
//! real `rpa-v4` on a free 127.0.0.1 port with its own SQLite file and the fake robot
//! (`tests/fake_robot.py`) through [`support::TestApp`], and talks to it over real HTTP.
//! Run one module with `cargo test --test integration <module>::`.

mod support;

mod api;
mod cli;
mod client_address;
mod concurrency;
mod database_lock;
mod file_modes;
mod full_disk;
mod hangup;
mod input_hygiene;
mod instance_lock;
mod kill_window;
mod leads;
mod metrics;
mod migration;
mod monitoring;
mod recovery;
mod robot_output_privacy;
mod runner;
mod shared_browser;
mod slow_clients;
mod visitor;
mod webhook_transport;
mod webhooks;
