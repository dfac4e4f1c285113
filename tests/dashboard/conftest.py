"""The home's tests read every app's world: CTED's (Kenya's assessment) among them."""

from tests.cted.conftest import cted_person, kenya  # noqa: F401 -- Kenya's assessment, recorded by CTED
