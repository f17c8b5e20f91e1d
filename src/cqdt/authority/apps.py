from cqdt.core import registry


class AuthorityConfig(registry.ContextConfig):
    name = "cqdt.authority"
    verbose_name = "Signing authority"

    def connect(self) -> None:
        from cqdt.authority.acts import delegable_list_refusal
        from cqdt.units.governance_rules import DELEGABLE_ACTS_CHECK

        # A governance model's delegable acts are checked against the act catalogue this
        # context owns (units cannot name it: ARCHITECTURE.md, "Directions of dependency").
        registry.set_action(DELEGABLE_ACTS_CHECK, delegable_list_refusal)
