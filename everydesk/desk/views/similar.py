"""Similar solved conversations beside a conversation, loaded after the page (the index
may need a moment to load the first time a process is asked)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from everydesk.conversations import access
from everydesk.desk.decorators import DeskRequest, staff_required


@require_GET
@staff_required
def similar_solved(request: DeskRequest, conversation_id: int) -> HttpResponse:
    from everydesk.listening import similar  # numpy: not loaded by every web process

    conversation = access.get_conversation_for(request.user, conversation_id)
    found = similar.similar_solved(request.user, conversation)
    context = {"conversation": conversation, "similar": found}
    template = "desk/_similar.html" if request.htmx else "desk/similar.html"
    return render(request, template, context)
