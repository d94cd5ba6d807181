"""Quote robot for the insurer's portal (Tô Segurado): drives the 15 screens with Playwright,
writes tracker snapshots and ends every run with a terminal status.

The package, from the top down (each module imports only what stands below it):

- the commands: `cli` (contract 1: one quote, or `--verificar` through `preflight`) and `flow`
  (walks the screens in the order the portal shows them);
- the pages: `screens/` (one page object per screen, with their bounded waits, the masks the
  portal displays and each screen's structural fingerprint) and `reading/` (the estimate and the
  plans, each read twice); both take the portal's shared landmarks from `portal`;
- what a run is given: `config` (settings), `inputs` and `fields` (the quote's data);
- the browser: `browser` (one robot's page), `devtools` (the shared Chromium), `proctree`;
- what a run leaves: `tracker` (snapshots), `artifacts` (failure evidence), `errors` (every
  ending as a type) and `privacy` (personal data kept out of all of them)."""
