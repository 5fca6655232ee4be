// The suite drives ffmpeg, opencv-doc's videos, setpriv and tmpfs mounts: it runs on Linux only (Debian 12 / Ubuntu).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
