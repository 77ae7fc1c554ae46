; Inno Setup 6 script for Recall: a per-user install (no administrator rights), a Start menu
; entry, an optional desktop icon and an uninstaller. packaging/build.py windows runs it as
;   ISCC.exe /DAppVersion=0.1.0 /DBundleDir=dist\windows\recall /DOutputDir=dist\windows
;            /DIconFile=resources\icons\recall.ico packaging\windows\recall.iss

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\windows\recall"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist\windows"
#endif
#ifndef IconFile
  #define IconFile "..\..\resources\icons\recall.ico"
#endif

[Setup]
; AppId identifies the installation for upgrades and the uninstaller; never change it.
AppId={{6A0F3D52-9B7E-4C1D-8E2A-5F4B7C9D1E30}
AppName=Recall
AppVersion={#AppVersion}
AppVerName=Recall {#AppVersion}
AppPublisher=The Recall developers
DefaultDirName={autopf}\Recall
DefaultGroupName=Recall
DisableProgramGroupPage=yes
; per-user: installs under %LOCALAPPDATA%\Programs without a UAC prompt
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir={#OutputDir}
OutputBaseFilename=Recall-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\Recall.exe
UninstallDisplayName=Recall
Compression=lzma2/max
SolidCompression=yes
LZMANumBlockThreads=4
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Recall"; Filename: "{app}\Recall.exe"; Comment: "Study decks of cards offline"
Name: "{autodesktop}\Recall"; Filename: "{app}\Recall.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\Recall.exe"; Description: "{cm:LaunchProgram,Recall}"; Flags: nowait postinstall skipifsilent

