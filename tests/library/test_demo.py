"""seed_demo fills the library with resources whose generated PDF and Word files are searchable."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from directory.models import User
from library.demo import DEMO_RESOURCES
from library.extraction import ExtractionStatus
from library.models import FileVersion, Resource
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_demo_resources_have_real_searchable_files(compact, django_capture_on_commit_callbacks, settings):
    settings.MFA_REQUIRED = False  # the demo accounts have no authenticator, as with `make run`
    # when the demo data is seeded (its extraction jobs run as its transaction commits)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--allow-production", stdout=StringIO())

    # then every demo resource holds a PDF or Word file whose text was extracted
    assert Resource.objects.count() == len(DEMO_RESOURCES) * 3
    kinds = set(FileVersion.objects.values_list("kind", flat=True))
    assert kinds == {"pdf", "docx"}
    assert set(FileVersion.objects.values_list("extraction_status", flat=True)) == {
        ExtractionStatus.SEARCHABLE
    }

    # and a sentence from inside a file finds its resource for the UNODC demo focal point
    reader = User.objects.get(email="focal.unodc@demo.compact.example")
    response = signed_in(reader).get(reverse("library:search"), {"q": '"joint mobile patrols"'})
    assert "Border management and security: good practices for joint patrols" in response.content.decode()

    # and seeding again adds nothing
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--allow-production", stdout=StringIO())
    assert Resource.objects.count() == len(DEMO_RESOURCES) * 3
    assert FileVersion.objects.count() == len(DEMO_RESOURCES) * 3
