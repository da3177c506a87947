from django.urls import path

from . import action_views, call_views, confirm_views, views

app_name = "submissions"
urlpatterns = [
    path("", views.my_submissions, name="mine"),
    path("new/", views.submission_new, name="new"),
    path("inbox/", views.inbox, name="inbox"),
    path("calls/", call_views.call_list, name="calls"),
    path("calls/<int:call_id>/", call_views.call_detail, name="call"),
    path("calls/<int:call_id>/close/", call_views.call_close, name="call_close"),
    path("<int:submission_id>/", views.submission_detail, name="detail"),
    path("<int:submission_id>/edit/", views.submission_edit, name="edit"),
    path("<int:submission_id>/revise/", views.submission_revise, name="revise"),
    path("<int:submission_id>/transition/", views.submission_action_post, name="transition"),
    path("<int:submission_id>/delete/", action_views.draft_delete, name="delete"),
    path("<int:submission_id>/withdraw/", action_views.submission_withdraw, name="withdraw"),
    path("<int:submission_id>/publish/", action_views.submission_publish, name="publish"),
    path("<int:submission_id>/accept/", confirm_views.submission_accept, name="accept"),
    path("<int:submission_id>/diff/", views.version_diff, name="diff"),
    path("<int:submission_id>/files/<int:file_id>/", views.file_download, name="file"),
    path("<int:submission_id>/media/<path:path>", views.media_file, name="media"),
    path("<int:submission_id>/files/<int:file_id>/remove/", views.file_remove, name="file_remove"),
]
