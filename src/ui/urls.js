// Addresses of what the site serves, from the address of the bundle itself: the bundle is
// served at <site root>/assets/site/, so any base path works.

const SITE_ROOT = new URL("../../", import.meta.url);

/**
 * The absolute URL of a path relative to the site's root, e.g. "assets/data/".
 * @param {string} path
 * @returns {string}
 */
export function siteURL(path) {
  return new URL(path, SITE_ROOT).href;
}
