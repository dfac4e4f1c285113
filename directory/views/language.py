"""Choosing the platform's language from the switcher on every page, signed in or not."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from directory import profiles


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)


@require_POST
def choose_language(request):
    """Django's ``set_language`` (the language cookie, and the way back to the page — only to this site:
    it checks ``next`` like every redirect), and for a signed-in person their profile's language too, which
    their e-mails and every browser they sign in from follow."""
    form = LanguageForm(request.POST)
    response = set_language(request)
    if not form.is_valid():
        messages.error(request, _("This language is not offered. Choose one of the list."))
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        profiles.choose_language(person=request.user, language=language)
        request.session[profiles.LANGUAGE_SESSION_KEY] = language
    return response
