"""Staff pages of the monitoring, under /staff/monitoring/."""

from django.urls import path

from cqdt.monitoring import evaluation_views, views

app_name = "monitoring"

urlpatterns = [
    path("staff/monitoring/", views.home, name="home"),
    path("staff/monitoring/review.<str:fmt>", views.review, name="review"),
    path(
        "staff/monitoring/review/<str:result_id>.<str:fmt>",
        views.review_result,
        name="review_result",
    ),
    # Before "<code>/": "evaluation" is not a unit code.
    path("staff/monitoring/evaluation/", evaluation_views.evaluation, name="evaluation"),
    path("staff/monitoring/<str:code>/", views.unit, name="unit"),
    path("staff/monitoring/<str:code>/index/", views.scorecard, name="scorecard"),
    path("staff/monitoring/<str:code>/shortcomings/", views.shortcomings, name="shortcomings"),
    path("staff/monitoring/<str:code>/history/", views.history, name="history"),
]
