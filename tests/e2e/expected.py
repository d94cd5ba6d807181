"""The simulated portal's documented outcomes (portal/README.md) that the modal must show exactly."""

PLATE_SUCCESS = "ABC1D23"
PLATE_MANUAL = "MAN1A23"
PLATE_NOT_FOUND = "ZZZ1A23"

# (coverage, de, até) of the screen-5 estimate for ABC1D23.
ESTIMATE_ABC1D23 = []

# Both final plans for ABC1D23, as the visitor reads them.
PLANS_ABC1D23 = {"recomendado": {}, "alternativo": {}}
