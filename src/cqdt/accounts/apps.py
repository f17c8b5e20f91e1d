from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cqdt.accounts"
    label = "accounts"
    verbose_name = "Accounts for officials"

    def ready(self) -> None:
        from cqdt.accounts import selectors, services
        from cqdt.accounts.tasks import close_ended_accounts_task
        from cqdt.core import registry
        from cqdt.staff.signals import appointment_ended

        registry.add_periodic("accounts", close_ended_accounts_task)
        registry.add_login_gate("accounts", selectors.may_log_in)
        appointment_ended.connect(services.on_appointment_ended, dispatch_uid="accounts.close")
        from django.contrib.auth.signals import user_logged_in

        from cqdt.accounts.hygiene import record_login

        user_logged_in.connect(record_login, dispatch_uid="accounts.sessions")
