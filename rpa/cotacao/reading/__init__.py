"""What the robot reads off the portal's pages. Read twice, structure and text: the two-reading
choice (`twice`), the initial estimate of screen 5 (`estimate`), the final plans of screen 15
(`plans`) and money as the portal shows it (`money`). Read once, from the page's text, for the
visitor and never as an answer to the portal: the vehicle screen 3 confirms (`vehicle`) and the
countdown of the final calculation (`countdown`). Readers know the page's landmarks (`..portal`)
and never the screen units, which call them."""
