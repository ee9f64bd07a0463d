"""PyInstaller's run-time hook for PySide6, without importing PySide6 at every start.

PyInstaller's own hook (``pyi_rth_pyside6``) sets Qt's paths and registers an embedded
``qt.conf`` pointing at the bundle, for which it imports ``PySide6.QtCore`` as the program
starts: every start, ``--version`` and the headless subcommands too, paid for Qt's
bindings (about half of ``counsellor-app --version``). This hook does the same, except that
``qt.conf`` is registered just after ``PySide6.QtCore`` is first imported, before any Qt
object exists. A hook folder's ``rthooks.dat`` takes the place of the built-in hook for
the same module (``packaging/counsellor-app.spec``: ``hookspath``).
"""


def _pyi_rthook():
    import importlib.abc
    import importlib.machinery
    import os
    import sys

    from _pyi_rth_utils import is_macos_app_bundle, prepend_path_to_environment_variable
    from _pyi_rth_utils import qt as qt_rth_utils

    qt_rth_utils.ensure_single_qt_bindings_package("PySide6")

    if sys.platform.startswith("win"):
        pyqt_path = os.path.join(sys._MEIPASS, "PySide6")
    else:
        pyqt_path = os.path.join(sys._MEIPASS, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(pyqt_path, "plugins")
    if is_macos_app_bundle:
        # As PyInstaller's hook: the qml folder is split between Frameworks and Resources.
        pyqt_path_res = os.path.normpath(
            os.path.join(sys._MEIPASS, "..", "Resources", os.path.relpath(pyqt_path, sys._MEIPASS))
        )
        os.environ["QML2_IMPORT_PATH"] = os.pathsep.join(
            [os.path.join(pyqt_path_res, "qml"), os.path.join(pyqt_path, "qml")]
        )
    else:
        os.environ["QML2_IMPORT_PATH"] = os.path.join(pyqt_path, "qml")
    if sys.platform.startswith("win"):
        prepend_path_to_environment_variable(sys._MEIPASS, "PATH")
    if sys.platform == "darwin" and not is_macos_app_bundle:
        prepend_path_to_environment_variable(sys._MEIPASS, "DYLD_LIBRARY_PATH")

    def register_qt_conf():
        qt_rth_utils.create_embedded_qt_conf("PySide6", pyqt_path)

    class ThenQtConf(importlib.abc.Loader):
        """PySide6.QtCore's own loader, then qt.conf registered."""

        def __init__(self, loader):
            self.loader = loader

        def create_module(self, spec):
            return self.loader.create_module(spec)

        def exec_module(self, module):
            self.loader.exec_module(module)
            register_qt_conf()

    class AfterQtCore(importlib.abc.MetaPathFinder):
        """Finds PySide6.QtCore as the import system would, once (then steps aside)."""

        def find_spec(self, name, path, target=None):
            if name != "PySide6.QtCore":
                return None
            sys.meta_path.remove(self)
            spec = importlib.machinery.PathFinder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = ThenQtConf(spec.loader)
            return spec

    if "PySide6.QtCore" in sys.modules:
        register_qt_conf()
    else:
        sys.meta_path.insert(0, AfterQtCore())


_pyi_rthook()
del _pyi_rthook
