"""Staff pages of the monitoring, under /staff/monitoring/."""

from django.urls import path

from cqdt.monitoring import evaluation_views, registers_views, review_views, views

app_name = "monitoring"

urlpatterns = [
    path("staff/monitoring/", views.home, name="home"),
    path("staff/monitoring/review.<str:fmt>", review_views.review, name="review"),
    path(
        "staff/monitoring/review/<str:result_id>.<str:fmt>",
        review_views.review_result,
        name="review_result",
    ),
    # Before "<code>/": "evaluation" is not a unit code.
    path("staff/monitoring/evaluation/", evaluation_views.evaluation, name="evaluation"),
    path("staff/monitoring/plan/", registers_views.plan, name="plan"),
    path("staff/monitoring/<str:code>/", views.unit, name="unit"),
    path("staff/monitoring/<str:code>/index/", views.scorecard, name="scorecard"),
    path("staff/monitoring/<str:code>/shortcomings/", views.shortcomings, name="shortcomings"),
    path("staff/monitoring/<str:code>/history/", views.history, name="history"),
    path(
        "staff/monitoring/<str:code>/decentralisation/",
        registers_views.decentralisation,
        name="decentralisation",
    ),
    path(
        "staff/monitoring/<str:code>/recommendations/",
        registers_views.recommendations,
        name="recommendations",
    ),
    path(
        "staff/monitoring/<str:code>/law-conflicts/",
        registers_views.law_conflicts,
        name="law_conflicts",
    ),
]
