// Entry that registers the service worker on every page until src/main.js does it:
// served as assets/offline/boot.js, beside register.js, with sw.js at the site's root.
import { registerOffline } from "./register.js";

registerOffline({ url: new URL("../../sw.js", import.meta.url) });
