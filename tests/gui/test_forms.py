"""The Designer forms in ui/ and the modules generated from them stay one and the same."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree

import pytest
from PySide6 import QtWidgets
from pytestqt.qtbot import QtBot

from counsellor_app.core.i18n import _, set_language
from counsellor_app.gui.forms import tr

ROOT = Path(__file__).resolve().parents[2]


def forms_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("forms_script", ROOT / "scripts" / "forms.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


FORMS = sorted((ROOT / "ui").glob("*.ui"))


def test_there_are_forms() -> None:
    assert FORMS, "no Designer forms in ui/"


@pytest.mark.parametrize("form", FORMS, ids=[form.stem for form in FORMS])
def test_generated_module_is_the_output_of_its_form(form: Path) -> None:
    """Compared by content with a fresh compile (file times from a checkout mean nothing):
    a form edited without running scripts/forms.py fails here."""
    script = forms_script()
    target = script.module_path(form)
    assert target.exists(), f"{form.name} has no generated module: run python scripts/forms.py"
    assert target.read_text(encoding="utf-8") == script.compile_form(form), (
        f"{target.name} is older than {form.name}: run python scripts/forms.py"
    )


def test_every_generated_module_has_a_form() -> None:
    forms = {form.stem for form in FORMS}
    modules = {path.stem.removeprefix("ui_") for path in forms_script().GENERATED.glob("ui_*.py")}
    assert modules == forms


def test_check_reports_a_stale_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check itself sees a difference (so a green run above means something)."""
    script = forms_script()
    form = FORMS[0]
    copy = tmp_path / "ui" / form.name
    copy.parent.mkdir()
    copy.write_text(form.read_text(encoding="utf-8"), encoding="utf-8")
    generated = tmp_path / "forms"
    generated.mkdir()
    monkeypatch.setattr(script, "FORMS", copy.parent)
    monkeypatch.setattr(script, "GENERATED", generated)
    monkeypatch.setattr(script, "ROOT", tmp_path)
    assert script.stale() == [f"ui/{form.name}: no forms/ui_{form.stem}.py"]
    (generated / f"ui_{form.stem}.py").write_text(script.compile_form(copy), encoding="utf-8")
    assert script.stale() == []
    copy.write_text(copy.read_text(encoding="utf-8").replace("</ui>", "<!-- -->\n</ui>"))
    (generated / "ui_gone.py").write_text("", encoding="utf-8")
    assert script.stale() == ["forms/ui_gone.py: its form ui/gone.ui is gone"]


@pytest.mark.parametrize("form", FORMS, ids=[form.stem for form in FORMS])
def test_generated_module_sets_up_in_danish(form: Path, qtbot: QtBot) -> None:
    """Each form builds, and each of its strings is shown in Danish: it came through
    gettext (uic's --tr), with a message id the catalog has."""
    module = importlib.import_module(f"counsellor_app.gui.forms.ui_{form.stem}")
    (ui_class,) = [value for name, value in vars(module).items() if name.startswith("Ui_")]
    source = Path(module.__file__ or "").read_text(encoding="utf-8")
    assert source.startswith(f"# generated from ui/{form.stem}.ui by scripts/forms.py")
    top = ElementTree.parse(form).getroot().find("widget")
    assert top is not None
    widget = getattr(QtWidgets, top.get("class", "QWidget"))()
    qtbot.addWidget(widget)
    ui_class().setupUi(widget)
    messages = [
        element.text
        for element in ElementTree.parse(form).iter("string")
        if element.text and element.get("notr") != "true"
    ]
    shown = shown_texts(widget)
    missing = [message for message in messages if _(message) not in shown]
    assert not missing, f"not shown in Danish: {missing}"


def shown_texts(root: QtWidgets.QWidget) -> set[str]:
    """Every text a form can set on ``root`` and the widgets in it."""
    texts = {root.windowTitle()}
    for widget in [root, *root.findChildren(QtWidgets.QWidget)]:
        texts |= {widget.accessibleName(), widget.toolTip()}
        for getter in ("text", "placeholderText", "title"):
            value = getattr(widget, getter, None)
            if callable(value):
                with contextlib.suppress(TypeError):
                    texts.add(str(value()))
        if isinstance(widget, QtWidgets.QTableWidget):
            texts |= {widget.horizontalHeaderItem(i).text() for i in range(widget.columnCount())}
        if isinstance(widget, QtWidgets.QTreeWidget):
            header = widget.headerItem()
            texts |= {header.text(i) for i in range(widget.columnCount())}
    return texts


def test_tr_is_gettext() -> None:
    set_language("da")
    assert tr("Unlock", None) == _("Unlock") != "Unlock"
    set_language("en")
    assert tr("Unlock") == "Unlock"
    set_language("da")


def test_a_splitter_measures_its_panes_with_their_texts(qtbot: QtBot) -> None:
    """uic sets texts after building, and a splitter measures its panes as they are added:
    settle() makes the reflection log's panes measure again, so the split is the one it
    had when the panes were made in code (the form beside the list gets its width)."""
    from counsellor_app.gui.learning import ReflectionLog

    log = ReflectionLog()
    qtbot.addWidget(log)
    # The widest row of the form: its caption beside its field.
    row = log.ui.differently_caption.sizeHint().width() + log.differently.sizeHint().width()
    assert log.ui.right.sizeHint().width() >= row
    log.resize(700, 400)
    log.show()
    qtbot.waitExposed(log)
    assert log.ui.splitter.sizes()[1] >= row
