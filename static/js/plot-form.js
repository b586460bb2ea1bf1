// The plot form on a phone: "Use my location" fills the point and its accuracy; walking the boundary and
// tapping "Add this spot as a corner" at each corner draws the polygon. Without JavaScript (or without
// geolocation) the farmer types the coordinates or pastes GeoJSON instead: the buttons stay hidden.
(function () {
  "use strict";
  var form = document.querySelector("form[data-plot-form]");
  if (!form || !("geolocation" in navigator)) return;
  var texts = JSON.parse(document.getElementById("plot-form-texts").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var lat = $("f-latitude"), lng = $("f-longitude"), metres = $("f-gps_accuracy_m"), shape = $("f-geometry");
  var status = $("position-status"), cornerList = $("corner-count");
  var corners = [];

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("field-errors", !!isError);
  }

  function locate(done) {
    say(texts.locating);
    navigator.geolocation.getCurrentPosition(function (p) {
      var accuracy = Math.max(1, Math.round(p.coords.accuracy));
      metres.value = accuracy;
      say(texts.accuracy.replace("__M__", accuracy));
      done(Number(p.coords.longitude.toFixed(7)), Number(p.coords.latitude.toFixed(7)));
    }, function (error) {
      say(error.code === 1 ? texts.denied : texts.unavailable, true);
    }, {enableHighAccuracy: true, timeout: 20000, maximumAge: 0});
  }

  function drawCorners() {
    cornerList.textContent = corners.length ? texts.corners.replace("__N__", corners.length) : "";
    $("undo-corner").hidden = corners.length === 0;
    shape.value = corners.length >= 3
      ? JSON.stringify({type: "Polygon", coordinates: [corners.concat([corners[0]])]})
      : "";
  }

  $("use-position").addEventListener("click", function () {
    locate(function (x, y) { lng.value = x; lat.value = y; });
  });
  $("add-corner").addEventListener("click", function () {
    locate(function (x, y) {
      corners.push([x, y]);
      if (!lat.value) { lng.value = x; lat.value = y; }
      drawCorners();
    });
  });
  $("undo-corner").addEventListener("click", function () { corners.pop(); drawCorners(); });
  $("use-position").hidden = false;
  $("add-corner").hidden = false;
})();
