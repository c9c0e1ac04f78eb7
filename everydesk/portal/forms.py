"""Portal forms. They check shape only; the actions decide what may be written."""

from django import forms

from everydesk.portal.wording import KIND_CHOICES

MAX_MESSAGE = 20_000
MAX_SUBJECT = 255


def _kind_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[(choice.value, choice.title) for choice in KIND_CHOICES],
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose what this is about."},
    )


def _message_field() -> forms.CharField:
    return forms.CharField(
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Please write your message."},
    )


def _subject_field() -> forms.CharField:
    return forms.CharField(
        max_length=MAX_SUBJECT,
        error_messages={"required": "Please give it a short title."},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Any number of files; how many and how large is the actions' rule, not the form's."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> list:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(AttachmentsField, self).clean(upload, initial) for upload in files]


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        error_messages={"required": "Please enter your email address."},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class NewConversationForm(forms.Form):
    kind = _kind_field()
    subject = _subject_field()
    message = _message_field()
    attachments = AttachmentsField()


class ReplyForm(forms.Form):
    message = _message_field()
    attachments = AttachmentsField()


class PublicForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=200,
        error_messages={"required": "Please tell us your name."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        error_messages={"required": "We need your email address to answer you."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    kind = _kind_field()
    subject = _subject_field()
    message = _message_field()
    # The honeypot. Hidden from people by CSS and from screen readers and the
    # tab order; a name that bots like to fill.
    website = forms.CharField(required=False)
    started = forms.CharField(required=False, widget=forms.HiddenInput)
