"""Quote robot for the insurer's portal (Tô Segurado): drives the 15 screens with Playwright,
writes tracker snapshots and ends every run with a terminal status."""
