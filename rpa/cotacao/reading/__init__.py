"""What the robot reads off the portal's pages, each value twice: the two-reading choice
(`twice`), the initial estimate of screen 5 (`estimate`), the final plans of screen 15 (`plans`)
and money as the portal shows it (`money`). Readers know the page's landmarks (`..portal`) and
never the screen units, which call them."""
