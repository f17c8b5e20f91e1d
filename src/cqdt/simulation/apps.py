from django.apps import AppConfig


class SimulationConfig(AppConfig):
    name = "cqdt.simulation"
    verbose_name = "Workload simulation"
