"""Plot tests (a package, so that test module names may repeat those of tests/core)."""
