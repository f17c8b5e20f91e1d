from cqdt.core import registry


class AccountsConfig(registry.ContextConfig):
    name = "cqdt.accounts"
    verbose_name = "Accounts for officials"
    periodic = ("cqdt.accounts.tasks.close_ended_accounts_task",)
    login_gate = "cqdt.accounts.selectors.may_log_in"

    def connect(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from cqdt.accounts import services
        from cqdt.accounts.hygiene import record_login
        from cqdt.staff.signals import appointment_ended

        appointment_ended.connect(services.on_appointment_ended, dispatch_uid="accounts.close")
        user_logged_in.connect(record_login, dispatch_uid="accounts.sessions")
