// Preselect the browser's own time zone; the profile page lets the person change it.
try { document.getElementById("browser-timezone").value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) {}
