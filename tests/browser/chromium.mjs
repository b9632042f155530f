// How the browser tests start Debian's Chromium: headless, no sandbox (CI runs as
// root), and no background networking (this machine's network is closed).
// Playwright gives each launch a fresh, empty profile.
export function launchOptions() {
  return {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  };
}
