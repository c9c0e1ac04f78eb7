from django.urls import path

from everydesk.desk.views import (
    alerts,
    conversation,
    customers,
    inbox,
    order_imports,
    search,
    similar,
    topics,
)

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
    path("customers/<int:customer_id>/", customers.customer_page, name="customer"),
    path("customers/<int:customer_id>/tier/", customers.change_tier, name="customer_tier"),
    path("orders/import/", order_imports.upload_page, name="order_imports"),
    path("orders/import/<int:import_id>/", order_imports.import_page, name="order_import"),
    path(
        "orders/import/<int:import_id>/progress/",
        order_imports.import_progress,
        name="order_import_progress",
    ),
    path("topics/", topics.topic_list, name="topics"),
    path("topics/<int:topic_id>/", topics.topic_page, name="topic"),
    path("topics/<int:topic_id>/rename/", topics.rename, name="topic_rename"),
    path("topics/<int:topic_id>/pin/", topics.pin, name="topic_pin"),
    path("topics/<int:topic_id>/merge/", topics.merge, name="topic_merge"),
    path("topics/<int:topic_id>/split/", topics.split, name="topic_split"),
    path("topics/<int:topic_id>/move/", topics.move, name="topic_move"),
    path("alerts/", alerts.alert_list, name="alerts"),
    path("alerts/<int:alert_id>/", alerts.alert_page, name="alert"),
    path("alerts/<int:alert_id>/acknowledge/", alerts.acknowledge, name="alert_acknowledge"),
    path("alerts/<int:alert_id>/resolve/", alerts.resolve, name="alert_resolve"),
    path("alerts/<int:alert_id>/outreach/", alerts.send_outreach, name="alert_outreach"),
]
