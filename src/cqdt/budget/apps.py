from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "cqdt.budget"
    verbose_name = "Ward budget"
