// Starts Swagger UI on /api/docs (templates/swagger_ui.html) with the settings the page carries as JSON: a file, not
// an inline script, so that the site's Content-Security-Policy needs no exception for it.
window.addEventListener("load", function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-ui-config").textContent);
  window.ui = window.SwaggerUIBundle(config);
});
