"""Helpers of the library tests: signed-in clients, uploads of real files, resources made through the
services (so their files are stored, extracted and indexed as in production)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.access import Visibility
from library import samples, services
from library.forms import ResourceForm
from library.models import Resource
from tests.conftest import organization
from tests.pages import parse


def result_titles(response) -> list[str]:
    """The titles of the resources a search page lists: its headings that link to a resource."""
    return [heading.text() for heading in parse(response).all("h3") if heading.first("a")]


def search_titles(client, query: str) -> list[str]:
    """The titles a search for ``query`` finds."""
    return result_titles(client.get(reverse("library:search"), {"q": query}))


def pdf_upload(name: str = "report.pdf", text: str = "Border management in the Sahel.") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, samples.pdf_bytes("Report", [text]), content_type="application/pdf")


def resource_data(owner, **fields) -> dict:
    data = {
        "title": "Guidance on border security",
        "summary": "How entities coordinate technical assistance at borders.",
        "resource_type": "guidance",
        "publication_date": "2022-05-01",
        "tags": "border security, capacity building",
        "languages": ["en"],
        "owner": owner.pk,
        "visibility": Visibility.PLATFORM,
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def add_resource(django_capture_on_commit_callbacks):
    """Add a resource as ``user`` through the form and the service, with its files' text extracted (the
    extraction job runs when the transaction commits, as it does in production)."""

    def add(user, *, files=(), file_language="en", owner_key="entity:UNODC", **fields) -> Resource:
        owner = organization(owner_key)
        if not files:
            fields.setdefault("external_url", "https://www.un.org/counterterrorism/")
        form = ResourceForm(
            resource_data(owner, file_language=file_language, **fields),
            {"files": list(files)} if files else {},
            user=user,
        )
        assert form.is_valid(), form.errors
        with django_capture_on_commit_callbacks(execute=True):
            resource = services.save_resource(
                form=form, by=user, uploads=form.cleaned_data["files"], language=file_language
            )
        resource.refresh_from_db()
        return resource

    return add


@pytest.fixture
def unodc_user(compact, make_user):
    return make_user("analyst@unodc.example.org", organization=organization("entity:UNODC"))


@pytest.fixture
def kenya_user(compact, make_user):
    return make_user("focal@kenya.example.org", organization=organization("state:KEN"))
