"""The answer form, shared by the email's confirm page and the portal."""

from django import forms

from everydesk.surveys.actions import MAX_COMMENT


class AnswerForm(forms.Form):
    score = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please choose a score.",
            "invalid_choice": "Please choose a score.",
        },
    )
    comment = forms.CharField(
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Anything you would like to add? (optional)",
    )

    def __init__(self, *args: object, scale: range, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["score"].choices = [(score, str(score)) for score in scale]  # type: ignore[attr-defined]


def preselected(raw: str | None, scale: range) -> int | None:
    """The score a link in the email carried, if it is one of this survey's."""
    if raw and raw.isdigit() and int(raw) in scale:
        return int(raw)
    return None
