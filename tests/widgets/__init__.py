"""Widget tests (a package, so that test module names may repeat those elsewhere)."""
