"""The fingerprints of the real portal's screens 1–6 ship with the project
(`config/portal_fingerprints.json`, the service's known baseline): they are exactly what the robot
computes on the captures today, one per screen, all different. A change to how the robot computes
a fingerprint, or new captures, fails here until the file is written again
(`.venv/bin/python rpa/tests/real_portal.py --gravar-impressoes`)."""

import json

from cotacao.screens.fingerprint import FORMAT
from real_portal import FINGERPRINTS_FILE, SCREENS, capture_fingerprints, fingerprints_document, require_captures


def test_the_shipped_fingerprints_are_the_ones_the_robot_computes_on_the_captures():
    require_captures()
    shipped = json.loads(FINGERPRINTS_FILE.read_text(encoding="utf-8"))
    computed = capture_fingerprints()
    assert shipped["telas"] == computed, (
        f"{FINGERPRINTS_FILE.name} desatualizado: o robô calcula {computed}; "
        "regrave com .venv/bin/python rpa/tests/real_portal.py --gravar-impressoes"
    )
    assert shipped == fingerprints_document(computed)
    assert sorted(shipped["telas"], key=int) == [str(n) for n in SCREENS]
    prints = [fp for known in shipped["telas"].values() for fp in known]
    assert all(FORMAT.match(fp) for fp in prints) and len(set(prints)) == len(prints)
