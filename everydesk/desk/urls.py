from django.urls import path

from everydesk.desk.views import conversation, inbox, search, similar

app_name = "desk"
urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("search/", search.search_page, name="search"),
    path("c/<int:conversation_id>/", conversation.conversation, name="conversation"),
    path("c/<int:conversation_id>/reply/", conversation.reply, name="reply"),
    path("c/<int:conversation_id>/note/", conversation.note, name="note"),
    path("c/<int:conversation_id>/properties/", conversation.properties, name="properties"),
    path("c/<int:conversation_id>/merge/", conversation.merge, name="merge"),
    path("c/<int:conversation_id>/macro/", conversation.macro_text, name="macro_text"),
    path("c/<int:conversation_id>/similar/", similar.similar_solved, name="similar"),
]
