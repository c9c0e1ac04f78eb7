from django import forms

from everydesk.lib.errors import ActionError
from everydesk.webhooks import actions
from everydesk.webhooks.models import DeliveryStatus, Endpoint


class NewEndpointForm(forms.Form):
    name = forms.CharField(max_length=100)
    url = forms.URLField(max_length=500, label="URL", assume_scheme="https")
    events = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Event names separated by commas; leave empty for every event.",
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            actions.check_url(url)
        except ActionError as error:
            raise forms.ValidationError(error.message) from None
        return url

    def clean_events(self) -> list[str]:
        names = [name.strip() for name in self.cleaned_data["events"].split(",")]
        return sorted({name for name in names if name})


class LogFilter(forms.Form):
    """The delivery log's filters; a bad value is dropped, never an error page."""

    endpoint = forms.ModelChoiceField(queryset=Endpoint.objects.order_by("name"), required=False)
    status = forms.ChoiceField(choices=[("", "any"), *DeliveryStatus.choices], required=False)
    event = forms.CharField(max_length=100, required=False)
