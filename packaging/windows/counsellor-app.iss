; Inno Setup 6 script: a per-user installer for Counsellor's Notebook (no admin rights).
;
;   python packaging/build.py        (makes dist\counsellor-app\ and the .ico)
;   iscc /DAppVersion=0.1.0 packaging\windows\counsellor-app.iss
;
; Produces dist\CounsellorsNotebook-<version>-windows-setup.exe. It installs into
; %LOCALAPPDATA%\Programs\CounsellorsNotebook, adds a Start-menu entry (and, if chosen, a
; desktop shortcut) and an uninstaller (Settings > Apps). Notebooks live elsewhere
; (%LOCALAPPDATA%\CounsellorsNotebook) and are never touched by installing, updating or
; uninstalling. CI (.github/workflows/package.yml) passes the version from pyproject.toml.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\counsellor-app.iss
#endif
#ifndef AppVersionNumeric
  ; Windows wants digits only (X.Y.Z[.W]); CI passes it for versions like 1.0.0rc1.
  #define AppVersionNumeric AppVersion
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\counsellor-app"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\pyinstaller\counsellor-app\generated\counsellor-app.ico"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#define AppName "Counsellor's Notebook"
#define AppExe "counsellor-app.exe"

[Setup]
; The AppId identifies the app for updates and uninstalling: never change it.
AppId={{577F698C-9F93-4275-AB89-6F88797D3446}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Counsellor's Notebook team
AppCopyright=Counsellor's Notebook team; GPL-3.0-or-later
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName}
VersionInfoProductVersion={#AppVersion}
VersionInfoDescription={#AppName} setup
; Per user: no UAC prompt, installs under %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
DefaultDirName={autopf}\CounsellorsNotebook
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir={#OutputDir}
OutputBaseFilename=CounsellorsNotebook-{#AppVersion}-windows-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running copy before files are replaced (it locks its notebook safely on close).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "danish"; MessagesFile: "compiler:Languages\Danish.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An update replaces the whole program folder (no stale libraries from an older version).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent
