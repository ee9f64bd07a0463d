"""The supervisor's windows on real encrypted notebooks: the public key, importing bundles
(chosen or dropped, refused ones listed with their reason), and the dashboard's charts,
whose numbers equal the core's figures, drawn in a light and a dark palette."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from counsellor_app.core.dashboard import dashboard
from counsellor_app.core.demo import fill_demo
from counsellor_app.core.domain import Role, WellbeingLevel, label
from counsellor_app.core.exchange import (
    ensure_key_pair,
    export_bundle,
    load_recipient,
    own_key_card,
    public_key,
)
from counsellor_app.core.exchange.format import outcome_label
from counsellor_app.core.exchange.signing import parse_key_card
from counsellor_app.core.i18n import set_language
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import (
    ImportStatus,
    counsellors,
    enrol_key_card,
    imported_cases,
)
from counsellor_app.core.taxonomy import taxonomy
from counsellor_app.gui.dashboard import (
    DashboardDialog,
    DashboardWidget,
    age_band_label,
)
from counsellor_app.gui.supervision import ImportDialog, ImportHistoryDialog, PublicKeyDialog
from tests.gui.helpers import (
    answer_modal,
    mnemonics,
    named_notebook,
    open_export_dialog,
    preview,
    save_screenshot,
    unnamed_controls,
)
from tests.unit.exchange_support import nonzero, snapshot

TODAY = date.today()
#: The demo's contacts reach about 18 months back.
ALL_TIME = (date(2000, 1, 1), TODAY + timedelta(days=1))


@pytest.fixture(autouse=True)
def english(app_home: Path) -> None:
    set_language("en")


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Notebook]:
    with named_notebook(tmp_path, "supervisor", Role.SUPERVISOR) as notebook:
        yield notebook


@pytest.fixture
def key(supervisor: Notebook) -> str:
    return ensure_key_pair(supervisor)


@pytest.fixture
def counsellor(tmp_path: Path) -> Iterator[Notebook]:
    with named_notebook(tmp_path, "counsellor") as notebook:
        fill_demo(notebook, 40, seed=11)
        yield notebook


@pytest.fixture
def bundle(counsellor: Notebook, supervisor: Notebook, key: str, tmp_path: Path) -> Path:
    enrol_key_card(supervisor, parse_key_card(own_key_card(counsellor)))
    return export_bundle(counsellor, key, tmp_path / "anna.cnbundle").path


def import_dialog(qtbot: QtBot, notebook: Notebook) -> ImportDialog:
    dialog = ImportDialog(notebook)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def run_import(qtbot: QtBot, dialog: ImportDialog, paths: list[Path]) -> Any:
    with qtbot.waitSignal(dialog.finished_import, timeout=30_000) as done:
        dialog.import_files(paths)
    return done.args[0]


def dashboard_widget(qtbot: QtBot, notebook: Notebook, **kwargs: Any) -> DashboardWidget:
    """The widget, once its first figures (computed on a worker thread) are shown."""
    widget = DashboardWidget(notebook, **kwargs)
    qtbot.addWidget(widget)
    widget.resize(1200, 1400)
    widget.show()
    with qtbot.waitSignal(widget.updated, timeout=20_000):
        pass  # the result is queued to this thread: it arrives while waiting
    return widget


def show_period(qtbot: QtBot, widget: DashboardWidget, start: date, end: date) -> None:
    with qtbot.waitSignal(widget.updated, timeout=20_000):
        widget.set_period(start, end)


# ---------------------------------------------------------------------- public key


def test_public_key_is_made_once_copied_and_saved(
    qtbot: QtBot, supervisor: Notebook, tmp_path: Path
) -> None:
    assert public_key(supervisor) is None
    dialog = PublicKeyDialog(supervisor)
    qtbot.addWidget(dialog)
    dialog.show()
    key = public_key(supervisor)
    assert key and key.startswith("age1") and dialog.key_edit.text() == key
    assert dialog.key_edit.isReadOnly() and unnamed_controls(dialog) == []
    again = PublicKeyDialog(supervisor)
    qtbot.addWidget(again)
    assert again.public_key() == key  # never replaced: bundles made for it stay readable

    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == key
    assert "Copied" in dialog.status_label.text()

    with qtbot.waitSignal(dialog.saved) as saved:
        assert dialog.save_to(tmp_path / "for counsellors")
    written = tmp_path / "for counsellors.pub"
    assert saved.args == [str(written)]
    assert str(load_recipient(written)) == key
    assert str(written) in dialog.status_label.text()
    assert not dialog.save_to(tmp_path / "no such folder" / "key.pub")
    assert "key.pub" in dialog.error_label.text()
    save_screenshot(dialog, "public-key")


# ---------------------------------------------------------------------- round trip


def test_export_through_the_dialog_then_import_through_the_dialog(
    qtbot: QtBot, supervisor: Notebook, key: str, counsellor: Notebook, tmp_path: Path
) -> None:
    export = open_export_dialog(qtbot, counsellor)
    export.set_key_text(key)
    preview(qtbot, export)
    assert export.export_to(tmp_path / "summaries")
    qtbot.waitUntil(lambda: not export.busy(), timeout=20_000)
    result = export.last_result()
    assert result is not None

    dialog = import_dialog(qtbot, supervisor)
    # A counsellor not yet enrolled: the window asks, showing the key's fingerprint.
    card = parse_key_card(own_key_card(counsellor))
    seen: list[str] = []

    def accept(box: QMessageBox) -> None:
        seen.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    answer = answer_modal(QMessageBox, accept)
    with qtbot.waitSignal(dialog.imported, timeout=30_000) as imported:
        dialog.import_files([result.path])
    answer.check()
    assert card.fingerprint in seen[0] and card.sender in seen[0]
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=30_000)
    assert imported.args == [1]
    assert counsellors(supervisor)[0].fingerprint == card.fingerprint
    assert len(imported_cases(supervisor)) == 40
    (line,) = dialog.result_lines()
    assert line[0] == ImportStatus.IMPORTED
    # each line names the counsellor and the bundle's day
    assert line[1].startswith(
        f"summaries.cnbundle (counsellor {card.sender}, made {TODAY.isoformat()}): 40 new cases"
    )
    assert dialog.progress_bar.value() == dialog.progress_bar.maximum() == 1
    assert "Imported: 1." in dialog.summary()

    # The same file again adds nothing, and says so.
    before = snapshot(supervisor)
    run_import(qtbot, dialog, [result.path])
    assert dialog.result_lines()[-1] == (
        ImportStatus.ALREADY_IMPORTED,
        f"summaries.cnbundle (counsellor {card.sender}, made {TODAY.isoformat()}): already "
        "imported; nothing was added.",
    )
    assert snapshot(supervisor) == before
    assert unnamed_controls(dialog) == []
    save_screenshot(dialog, "import")


def test_an_altered_file_is_refused_with_its_reason_and_nothing_changes(
    qtbot: QtBot, supervisor: Notebook, bundle: Path, tmp_path: Path
) -> None:
    altered = tmp_path / "altered bundle.cnbundle"
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0x01
    altered.write_bytes(bytes(data))
    before = snapshot(supervisor)
    dialog = import_dialog(qtbot, supervisor)
    report = run_import(qtbot, dialog, [altered])
    assert [r.status for r in report.results] == [ImportStatus.REFUSED]
    ((status, sentence),) = dialog.result_lines()
    assert status == ImportStatus.REFUSED
    assert sentence == str(report.results[0].error)
    assert "altered bundle.cnbundle" in sentence and "altered or incomplete" in sentence
    item = dialog.results.item(0)
    assert item.data(Qt.ItemDataRole.AccessibleTextRole).startswith("Refused: ")
    assert snapshot(supervisor) == before

    # A good file beside a bad one is still imported.
    report = run_import(qtbot, dialog, [altered, bundle])
    assert [r.status for r in report.results] == [ImportStatus.REFUSED, ImportStatus.IMPORTED]
    assert "Refused: 2." in dialog.summary() and "Imported: 1." in dialog.summary()


def _drop_event(paths: list[Path]) -> tuple[QMimeData, QDropEvent]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    return mime, event


def test_files_and_a_folder_dropped_onto_the_dialog_are_imported(
    qtbot: QtBot, supervisor: Notebook, key: str, bundle: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "from bo"
    folder.mkdir()
    with named_notebook(tmp_path, "bo") as other:
        fill_demo(other, 6, seed=2)
        enrol_key_card(supervisor, parse_key_card(own_key_card(other)))
        export_bundle(other, key, folder / "bo.cnbundle")
    (folder / "notes.txt").write_text("not a bundle", encoding="utf-8")
    dialog = import_dialog(qtbot, supervisor)

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(bundle))])
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(dialog, enter)
    assert enter.isAccepted()
    web = QMimeData()
    web.setUrls([QUrl("https://example.org/bundle.cnbundle")])
    refused_enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        web,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(dialog, refused_enter)
    assert not refused_enter.isAccepted()

    _mime, drop = _drop_event([bundle, folder])
    with qtbot.waitSignal(dialog.finished_import, timeout=30_000) as done:
        QApplication.sendEvent(dialog, drop)
    assert drop.isAccepted()
    report = done.args[0]
    assert [r.path.name for r in report.imported] == ["anna.cnbundle", "bo.cnbundle"]
    assert len(counsellors(supervisor)) == 2
    assert len(imported_cases(supervisor)) == 46

    # The handler for URLs directly, too: the same files again are already imported.
    with qtbot.waitSignal(dialog.finished_import, timeout=30_000) as done:
        dialog.drop_urls([QUrl.fromLocalFile(str(bundle))])
    assert [r.status for r in done.args[0].results] == [ImportStatus.ALREADY_IMPORTED]


def test_files_dropped_during_an_import_follow_it(
    qtbot: QtBot, supervisor: Notebook, bundle: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.cnbundle"
    shutil.copy(bundle, copy)
    dialog = import_dialog(qtbot, supervisor)
    reports: list[Any] = []
    dialog.finished_import.connect(reports.append)
    dialog.import_files([bundle])
    dialog.import_files([copy])  # while the first runs (or just after): queued
    qtbot.waitUntil(lambda: len(reports) == 2 and not dialog.is_running(), timeout=30_000)
    statuses = [r.status for report in reports for r in report.results]
    assert statuses == [ImportStatus.IMPORTED, ImportStatus.ALREADY_IMPORTED]


# ---------------------------------------------------------------------- dashboard


def test_dashboard_shows_the_cores_figures_in_its_charts(
    qtbot: QtBot, supervisor: Notebook, bundle: Path
) -> None:
    dialog = import_dialog(qtbot, supervisor)
    run_import(qtbot, dialog, [bundle])
    widget = dashboard_widget(qtbot, supervisor, today=TODAY)
    start, end = widget.period()
    assert end == TODAY and start.day == 1 and (TODAY - start).days < 370
    show_period(qtbot, widget, *ALL_TIME)
    figures = dashboard(supervisor, *ALL_TIME)
    shown = widget.figures()
    assert shown is not None and shown.cases == figures.cases == 40
    assert shown.contacts == figures.contacts
    assert "40 cases" in widget.summary_label.text()
    assert f"{figures.contacts} contacts" in widget.summary_label.text()

    # Contacts per month: every month of the period, each count in the bars and in words.
    bars = widget.contacts_chart.bars()
    assert [b.value for b in bars] == list(figures.contacts_per_month.values())
    described = widget.contacts_chart.accessibleDescription()
    busiest = max(figures.contacts_per_month, key=figures.contacts_per_month.__getitem__)
    year, month = map(int, busiest.split("-"))
    long_name = date(year, month, 1).strftime("%B %Y")
    assert f"{long_name}: {figures.contacts_per_month[busiest]}" in described

    tax = taxonomy()
    themes = widget.themes_chart.accessibleDescription()
    for theme, count in list(nonzero(figures.themes).items())[:10]:
        assert f"{tax.label('themes', theme)}: {count}" in themes
    ages = widget.ages_chart.accessibleDescription()
    for band, count in figures.age_bands.items():
        assert f"{age_band_label(band)}: {count}" in ages
    follow_ups = widget.follow_ups_chart.accessibleDescription()
    for outcome, count in figures.follow_ups.items():
        assert f"{outcome_label(outcome)}: {count}" in follow_ups
    alliances = widget.alliances_chart.accessibleDescription()
    for partner, count in figures.alliances.items():
        assert f"{label(partner)}: {count}" in alliances
    steps = widget.steps_chart.accessibleDescription()
    for step, count in figures.steps_covered.items():
        assert f"{label(step)}: {count}" in steps
    concerns = widget.concerns_chart.accessibleDescription()
    for decision, count in figures.concern_decisions.items():
        assert f"{label(decision)}: {count}" in concerns
    movement = widget.movement_chart.accessibleDescription()
    assert f"Improved: {figures.improved}, unchanged: {figures.unchanged}" in movement
    assert f"worsened: {figures.worsened}" in movement
    assert widget.movement_chart.matrix() == figures.wellbeing_movement
    severe = figures.wellbeing_movement[WellbeingLevel.SEVERE.rank]
    if any(severe):
        assert f"From {label(WellbeingLevel.SEVERE)} at the first contact" in movement

    # The quick periods and an empty period.
    with qtbot.waitSignal(widget.updated, timeout=20_000):
        widget.year_button.click()
    assert widget.period() == (date(TODAY.year, 1, 1), TODAY)
    assert widget.figures() == dashboard(supervisor, date(TODAY.year, 1, 1), TODAY)
    show_period(qtbot, widget, date(1990, 1, 1), date(1990, 3, 31))
    assert widget.contacts_chart.accessibleDescription() == "No contacts in this period."
    assert widget.figures().cases == 0  # type: ignore[union-attr]
    assert unnamed_controls(widget) == []


def test_dashboard_filters_by_counsellor_and_names_them(
    qtbot: QtBot, supervisor: Notebook, key: str, bundle: Path, tmp_path: Path
) -> None:
    with named_notebook(tmp_path, "bo") as other:
        fill_demo(other, 7, seed=3)
        enrol_key_card(supervisor, parse_key_card(own_key_card(other)))
        second = export_bundle(other, key, tmp_path / "bo.cnbundle").path
    run_import(qtbot, import_dialog(qtbot, supervisor), [bundle, second])
    widget = dashboard_widget(qtbot, supervisor, today=TODAY)
    show_period(qtbot, widget, *ALL_TIME)
    combo = widget.counsellor_combo
    assert combo.count() == 3 and combo.itemText(0) == "All counsellors"
    assert widget.figures().cases == 47  # type: ignore[union-attr]
    bo = next(c for c in counsellors(supervisor) if c.cases == 7)
    with qtbot.waitSignal(widget.updated, timeout=20_000):
        assert widget.set_counsellor(bo.counsellor_id)
    assert widget.counsellor() == bo.counsellor_id
    assert widget.figures().cases == 7  # type: ignore[union-attr]
    assert widget.figures() == dashboard(supervisor, *ALL_TIME, counsellor=bo.counsellor_id)
    assert widget.name_button.isEnabled()
    with qtbot.waitSignal(widget.updated, timeout=20_000):
        assert widget.label_counsellor(bo.counsellor_id, "Tuesday counsellor")
    assert combo.currentText() == "Tuesday counsellor (7 cases)"
    assert "Tuesday counsellor: 7 cases" in widget.summary_label.text()


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in {
        QPalette.ColorRole.Window: "#2b2b2b",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e",
        QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.PlaceholderText: "#8a8a8a",
        QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#2f65ca",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Mid: "#4a4a4a",
        QPalette.ColorRole.Dark: "#151515",
        QPalette.ColorRole.Light: "#505050",
    }.items():
        palette.setColor(role, QColor(colour))
    return palette


def colours_in(widget: Any) -> set[int]:
    image = widget.grab().toImage()
    step = max(1, image.width() // 80)
    return {
        image.pixel(x, y)
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), max(1, image.height() // 60))
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_charts_are_drawn_in_light_and_dark(
    qtbot: QtBot, supervisor: Notebook, bundle: Path, scheme: str
) -> None:
    run_import(qtbot, import_dialog(qtbot, supervisor), [bundle])
    dialog = DashboardDialog(supervisor)
    qtbot.addWidget(dialog)
    if scheme == "dark":
        dialog.setPalette(dark_palette())
    with qtbot.waitSignal(dialog.dashboard.updated, timeout=20_000):
        dialog.show()
        dialog.resize(1300, 1500)
        dialog.dashboard.set_period(*ALL_TIME)
    qtbot.waitUntil(lambda: dialog.dashboard.figures() is not None)
    save_screenshot(dialog, f"dashboard-{scheme}")
    base = dialog.palette().color(QPalette.ColorRole.Base)
    for chart in dialog.dashboard.charts:
        picture = chart.grab()
        assert not picture.isNull() and picture.width() > 100 and picture.height() > 60
        assert len(colours_in(chart)) > 3, chart.title()  # more than a blank frame
        corner = picture.toImage().pixelColor(picture.width() // 2, picture.height() - 3)
        assert abs(corner.lightness() - base.lightness()) < 40, chart.title()
    dialog.close()


def test_period_report_hook(
    qtbot: QtBot, supervisor: Notebook, bundle: Path, tmp_path: Path
) -> None:
    run_import(qtbot, import_dialog(qtbot, supervisor), [bundle])
    calls: list[dict[str, Any]] = []

    def write_report(notebook: Notebook, path: Path, **filters: Any) -> None:
        calls.append({"notebook": notebook, "path": path, **filters})
        path.write_bytes(b"%PDF-1.4\n")

    widget = dashboard_widget(qtbot, supervisor, period_report=write_report, today=TODAY)
    assert widget.report_button.isVisibleTo(widget)
    with qtbot.waitSignal(widget.report_saved, timeout=20_000) as saved:
        assert widget.save_report(tmp_path / "period")
    target = tmp_path / "period.pdf"
    assert saved.args == [str(target)] and target.exists()
    start, end = widget.period()
    assert calls == [
        {
            "notebook": supervisor,
            "path": target,
            "period_from": start,
            "period_to": end,
            "counsellor": None,
        }
    ]
    assert str(target) in widget.status_label.text()


def test_a_plain_json_file_is_refused_with_a_sentence(
    qtbot: QtBot, supervisor: Notebook, key: str, tmp_path: Path
) -> None:
    plain = tmp_path / "plain.cnbundle"
    plain.write_text(json.dumps({"cases": []}), encoding="utf-8")
    dialog = import_dialog(qtbot, supervisor)
    assert dialog.error_label.isHidden()
    run_import(qtbot, dialog, [plain])
    ((status, sentence),) = dialog.result_lines()
    assert status == ImportStatus.REFUSED and "plain.cnbundle" in sentence
    assert "not an encrypted bundle" in sentence and "{" not in sentence


def test_without_a_key_pair_the_import_says_so(
    qtbot: QtBot, supervisor: Notebook, bundle: Path, tmp_path: Path
) -> None:
    with named_notebook(tmp_path, "keyless", Role.SUPERVISOR) as keyless:
        dialog = import_dialog(qtbot, keyless)
        assert "no public key yet" in dialog.error_label.text()
        with qtbot.waitSignal(dialog.import_failed, timeout=30_000) as failed:
            dialog.import_files([bundle])
        assert "no key pair" in failed.args[0]
        assert dialog.error_label.text() == failed.args[0]
        assert dialog.result_lines() == [] and not dialog.is_running()
        dialog.close()


def test_each_window_has_distinct_mnemonics(
    qtbot: QtBot, supervisor: Notebook, key: str, counsellor: Notebook
) -> None:
    export = open_export_dialog(qtbot, counsellor)
    export.set_key_text(key)
    preview(qtbot, export)
    windows: list[QWidget] = [export, PublicKeyDialog(supervisor), ImportDialog(supervisor)]
    dashboard_window = DashboardDialog(supervisor, period_report=lambda *a, **k: None)
    windows.append(dashboard_window)
    for window in windows:
        qtbot.addWidget(window)
        window.show()
        keys = mnemonics(window)
        assert len(keys) >= 2 and len(keys) == len(set(keys)), (type(window).__name__, keys)
    with qtbot.waitSignal(dashboard_window.dashboard.updated, timeout=20_000):
        pass


def test_closing_during_an_import_stops_after_the_current_file(
    qtbot: QtBot, supervisor: Notebook, bundle: Path, tmp_path: Path
) -> None:
    copies = []
    for n in range(6):
        copy = tmp_path / f"copy {n}.cnbundle"
        shutil.copy(bundle, copy)
        copies.append(copy)
    dialog = import_dialog(qtbot, supervisor)
    reports: list[Any] = []
    dialog.finished_import.connect(reports.append)
    dialog.import_files(copies)
    dialog.close()  # waits for the file being imported, then stops
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: bool(reports))  # the run's report still arrives
    [report] = reports
    # Stopped after the file it was at (if it had begun one): the other copies were not
    # even tried, so the run has fewer results than files.
    assert len(report.results) <= 1
    assert len(imported_cases(supervisor)) in (0, 40)  # one transaction per file: all or none


def test_import_history_lists_and_withdraws(
    qtbot: QtBot, supervisor: Notebook, key: str, bundle: Path, tmp_path: Path
) -> None:
    run_import(qtbot, import_dialog(qtbot, supervisor), [bundle])
    dialog = ImportHistoryDialog(supervisor)
    qtbot.addWidget(dialog)
    dialog.show()
    (row,) = dialog.history_rows()
    (counsellor_info,) = counsellors(supervisor)
    assert row[1] == "anna.cnbundle" and row[3] == counsellor_info.fingerprint
    assert row[5] == TODAY.isoformat() and row[6] == "40" and row[8] == "Counted"
    assert not dialog.withdraw_button.isEnabled()
    dialog.select_row(0)
    assert dialog.withdraw_button.isEnabled()
    answer = answer_modal(
        QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click()
    )
    with qtbot.waitSignal(dialog.withdrawn):
        dialog.withdraw_button.click()
    answer.check()
    assert imported_cases(supervisor) == [] and dashboard(supervisor).cases == 0
    assert dialog.history_rows()[0][8].startswith("Withdrawn")
    assert "40 cases" in dialog.status_label.text()
    assert unnamed_controls(dialog) == []


def test_changing_a_counsellors_key_is_asked_with_both_fingerprints(
    qtbot: QtBot, supervisor: Notebook, counsellor: Notebook, tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from counsellor_app.core.exchange.signing import key_card_text
    from counsellor_app.gui.supervision import ChangeKeyDialog, enrol_key_card_file

    parent = QWidget()
    qtbot.addWidget(parent)
    first = tmp_path / "first.keycard"
    first.write_text(own_key_card(counsellor), encoding="utf-8")
    assert enrol_key_card_file(parent, supervisor, first)  # no question the first time
    old = parse_key_card(first.read_text(encoding="utf-8"))
    new_key = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    second = tmp_path / "second.keycard"
    second.write_text(key_card_text(old.sender, new_key), encoding="utf-8")
    new = parse_key_card(second.read_text(encoding="utf-8"))
    seen: list[str] = []

    def answer(change: bool) -> Any:
        def act(box: ChangeKeyDialog) -> None:
            seen.append(
                " ".join((box.ui.intro.text(), box.ui.enrolled.text(), box.ui.new_key.text()))
            )
            assert unnamed_controls(box) == []
            # The key changes only once the supervisor ticks that it is the counsellor's.
            assert not box.change_button.isEnabled()
            if change:
                box.ui.confirmed.setChecked(True)
                assert box.change_button.isEnabled()
                box.change_button.click()
            else:
                box.ui.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()

        return act

    refused = answer_modal(ChangeKeyDialog, answer(False))
    assert enrol_key_card_file(parent, supervisor, second) is None
    refused.check()
    assert old.fingerprint in seen[0] and new.fingerprint in seen[0] and old.sender in seen[0]
    assert counsellors(supervisor)[0].fingerprint == old.fingerprint  # nothing changed
    accepted = answer_modal(ChangeKeyDialog, answer(True))
    assert new.fingerprint in (enrol_key_card_file(parent, supervisor, second) or "")
    accepted.check()
    assert counsellors(supervisor)[0].fingerprint == new.fingerprint
