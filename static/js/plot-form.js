// The plot form on a phone: "Use my location" fills the point and its accuracy; walking the boundary and
// tapping "Add this spot as a corner" at each corner draws the polygon, or the farmer taps the corners on a
// map of tiles around their location (MAP_TILE_URL; no map when tiles do not load). Without JavaScript (or
// without geolocation) the farmer types the coordinates or pastes GeoJSON instead: the buttons stay hidden.
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
    if (map) map.draw();
  }

  // --- Tapping the corners on a map (Web-Mercator tiles, as on the trace page) ---
  var TILE = 256, ZOOM = 18, map = null;
  function toPixel(lng, lat) {
    var size = TILE * Math.pow(2, ZOOM), s = Math.sin(lat * Math.PI / 180);
    return [(lng + 180) / 360 * size, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * size];
  }
  function toLngLat(x, y) {
    var size = TILE * Math.pow(2, ZOOM), n = Math.PI * (1 - 2 * y / size);
    return [Number((x / size * 360 - 180).toFixed(7)), Number((Math.atan(Math.sinh(n)) * 180 / Math.PI).toFixed(7))];
  }
  function openMap(lng, lat) {
    var box = $("draw-map"), svgNS = "http://www.w3.org/2000/svg";
    box.hidden = false;
    var width = box.clientWidth, height = box.clientHeight, centre = toPixel(lng, lat);
    var left = centre[0] - width / 2, top = centre[1] - height / 2, failed = false;
    box.textContent = "";
    for (var ty = Math.floor(top / TILE); ty * TILE < top + height; ty++) {
      for (var tx = Math.floor(left / TILE); tx * TILE < left + width; tx++) {
        var img = document.createElement("img");
        img.alt = "";
        img.style.left = Math.round(tx * TILE - left) + "px";
        img.style.top = Math.round(ty * TILE - top) + "px";
        img.addEventListener("error", function () {
          if (failed) return;
          failed = true; box.hidden = true; map = null; say(texts.no_map, true);
        });
        img.src = texts.tiles.replace("{z}", ZOOM).replace("{x}", tx).replace("{y}", ty).replace("{s}", "abc"[(tx + ty) % 3]);
        box.appendChild(img);
      }
    }
    var svg = document.createElementNS(svgNS, "svg");
    svg.setAttribute("width", width); svg.setAttribute("height", height);
    box.appendChild(svg);
    var credit = el("a", texts.credit);
    credit.className = "credit"; credit.href = texts.credit_url;
    box.appendChild(credit);
    box.addEventListener("click", function (event) {
      if (event.target === credit) return;
      var rect = box.getBoundingClientRect();
      corners.push(toLngLat(left + event.clientX - rect.left, top + event.clientY - rect.top));
      drawCorners();
    });
    map = {draw: function () {
      svg.textContent = "";
      var points = corners.map(function (c) { var p = toPixel(c[0], c[1]); return [p[0] - left, p[1] - top]; });
      if (points.length > 1) {
        var outline = document.createElementNS(svgNS, "polygon");
        outline.setAttribute("points", points.map(function (p) { return p.join(","); }).join(" "));
        svg.appendChild(outline);
      }
      points.forEach(function (p) {
        var dot = document.createElementNS(svgNS, "circle");
        dot.setAttribute("cx", p[0]); dot.setAttribute("cy", p[1]); dot.setAttribute("r", 6);
        svg.appendChild(dot);
      });
    }};
    map.draw();
    say(texts.tap_corners);
  }
  function el(tag, text) { var node = document.createElement(tag); node.textContent = text; return node; }

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
  $("draw-on-map").addEventListener("click", function () {
    if (lat.value && lng.value) { openMap(Number(String(lng.value).replace(",", ".")), Number(String(lat.value).replace(",", "."))); return; }
    locate(function (x, y) { lng.value = x; lat.value = y; openMap(x, y); });
  });
  $("use-position").hidden = false;
  $("add-corner").hidden = false;
  $("draw-on-map").hidden = !texts.tiles;
})();
