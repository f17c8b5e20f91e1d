from cqdt.core import registry


class DocumentsConfig(registry.ContextConfig):
    name = "cqdt.documents"
    verbose_name = "Outgoing documents"

    def connect(self) -> None:
        def sign(**kw: object) -> object:
            # Imported when a dossier is signed, not at start-up: the renderer and the signer
            # (weasyprint, pyHanko) take seconds to import, and every process (web, worker,
            # scheduler, each management command) would pay it.
            from cqdt.documents.services import dossier_sign_with_result

            return dossier_sign_with_result(**kw)[0]  # type: ignore[arg-type]

        registry.set_action("dossiers.sign", sign)
