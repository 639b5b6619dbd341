// The console's shell: hash routes, the settings panel, focus management between pages.
import { loadSettings, saveSettings } from "./aws.js";
import { routeDynamodb } from "./ddb.js";
import { field, h, openDialog } from "./dom.js";
import { renderRequests } from "./log.js";
import { routeS3 } from "./s3.js";

const main = document.getElementById("main");

async function route() {
  const parts = location.hash.replace(/^#\/?/, "").split("/");
  const args = parts.slice(1).map((p) => decodeURIComponent(p));
  const nav = { refresh: () => route(), go: (hash) => { location.hash = hash; } };
  const service = parts[0] || "s3";
  for (const a of document.querySelectorAll("header nav a")) {
    if (a.dataset.service === service) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  main.setAttribute("aria-busy", "true");
  try {
    // Each service routes its own pages: args are the hash's parts after the service, decoded.
    if (service === "dynamodb") await routeDynamodb(main, args, nav);
    else if (service === "requests") await renderRequests(main, args, nav);
    else await routeS3(main, args, nav);
  } finally {
    main.setAttribute("aria-busy", "false");
  }
}

// After navigating, put keyboard focus on the new page's heading (not after a refresh, which
// would pull focus away from the button the user is on).
let lastHash = null;
async function navigate() {
  const moved = location.hash !== lastHash;
  lastHash = location.hash;
  await route();
  document.title = `${main.querySelector("h1")?.textContent || "Console"} · localaws console`;
  if (moved && lastHash !== null) main.querySelector("h1")?.focus();
}

function settingsDialog() {
  const s = loadSettings();
  const ak = h("input", { type: "text", value: s.accessKeyId, required: true, autocomplete: "off", spellcheck: "false" });
  const sk = h("input", { type: "password", value: s.secretAccessKey, required: true, autocomplete: "off" });
  const region = h("input", { type: "text", value: s.region, required: true, autocomplete: "off", spellcheck: "false" });
  openDialog({
    title: "Settings",
    body: h("div", {},
      h("p", {}, "The console signs every S3 and DynamoDB call with these credentials (SigV4), as an SDK would. They are kept in this browser's localStorage."),
      field("Access key ID", ak), field("Secret access key", sk), field("Region", region)),
    submitLabel: "Save",
    onSubmit: async () => {
      saveSettings({ accessKeyId: ak.value.trim(), secretAccessKey: sk.value, region: region.value.trim() });
      document.getElementById("whoami").textContent = ak.value.trim();
      route();
    },
  });
}

document.getElementById("settings").addEventListener("click", settingsDialog);
// The skip link must not change the hash (that is the route).
document.querySelector(".skip").addEventListener("click", (e) => {
  e.preventDefault();
  main.focus();
});
document.getElementById("whoami").textContent = loadSettings().accessKeyId;
window.addEventListener("hashchange", navigate);
if (!window.isSecureContext || !window.crypto?.subtle) {
  main.replaceChildren(h("div", { class: "error", role: "alert" },
    "This page needs a secure context to sign requests (WebCrypto): open it as http://localhost:PORT or http://127.0.0.1:PORT."));
} else {
  lastHash = location.hash;
  navigate();
}
