/* The trace page's plot map: Web-Mercator tiles under an SVG of the plots, no library, no build step.
 *
 * Progressive enhancement over the outline drawings the server renders: the box stays hidden until every
 * tile has loaded, then it is shown and the drawings are hidden; if a tile fails (no network, a blocked
 * tile server) the box is removed and the drawings stay. The plots come from the page's JSON data island
 * #plot-map-data: {tiles, credit, creditUrl, shapes: [GeoJSON Point | MultiPolygon]}.
 */
(function () {
  "use strict";
  var TILE = 256, PAD = 24, MAX_ZOOM = 17, SVG = "http://www.w3.org/2000/svg";

  function worldX(lng, zoom) { return (lng + 180) / 360 * TILE * Math.pow(2, zoom); }
  function worldY(lat, zoom) {
    var s = Math.sin(lat * Math.PI / 180);
    return (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * TILE * Math.pow(2, zoom);
  }

  function positions(shapes) {
    var all = [];
    shapes.forEach(function (shape) {
      if (shape.type === "Point") { all.push(shape.coordinates); return; }
      shape.coordinates.forEach(function (polygon) {
        polygon.forEach(function (ring) { all.push.apply(all, ring); });
      });
    });
    return all;
  }

  /* The largest zoom at which every plot fits in the box with a margin. */
  function fittingZoom(points, width, height) {
    for (var zoom = MAX_ZOOM; zoom > 1; zoom--) {
      var xs = points.map(function (p) { return worldX(p[0], zoom); });
      var ys = points.map(function (p) { return worldY(p[1], zoom); });
      if (Math.max.apply(null, xs) - Math.min.apply(null, xs) <= width - 2 * PAD &&
          Math.max.apply(null, ys) - Math.min.apply(null, ys) <= height - 2 * PAD) { return zoom; }
    }
    return 1;
  }

  function view(points, width, height) {
    var zoom = fittingZoom(points, width, height);
    var xs = points.map(function (p) { return worldX(p[0], zoom); });
    var ys = points.map(function (p) { return worldY(p[1], zoom); });
    var left = (Math.min.apply(null, xs) + Math.max.apply(null, xs) - width) / 2;
    var top = (Math.min.apply(null, ys) + Math.max.apply(null, ys) - height) / 2;
    return { zoom: zoom, left: left, top: top, width: width, height: height };
  }

  function tileUrl(template, zoom, x, y) {
    return template.replace("{z}", zoom).replace("{x}", x).replace("{y}", y).replace("{s}", "abc"[(x + y) % 3]);
  }

  function addTiles(box, template, v, done) {
    var count = Math.pow(2, v.zoom), tiles = [];
    for (var ty = Math.floor(v.top / TILE); ty * TILE < v.top + v.height; ty++) {
      if (ty < 0 || ty >= count) { continue; }
      for (var tx = Math.floor(v.left / TILE); tx * TILE < v.left + v.width; tx++) {
        var img = document.createElement("img");
        img.alt = "";
        img.style.left = Math.round(tx * TILE - v.left) + "px";
        img.style.top = Math.round(ty * TILE - v.top) + "px";
        tiles.push([img, tileUrl(template, v.zoom, ((tx % count) + count) % count, ty)]);
      }
    }
    var waiting = tiles.length, failed = false;
    tiles.forEach(function (pair) {
      pair[0].addEventListener("load", function () { if (--waiting === 0 && !failed) { done(true); } });
      pair[0].addEventListener("error", function () { if (!failed) { failed = true; done(false); } });
      box.appendChild(pair[0]);
      pair[0].src = pair[1];
    });
  }

  function point(v, p) {
    return [Math.round((worldX(p[0], v.zoom) - v.left) * 10) / 10, Math.round((worldY(p[1], v.zoom) - v.top) * 10) / 10];
  }

  function overlay(v, shapes) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", v.width);
    svg.setAttribute("height", v.height);
    svg.setAttribute("viewBox", "0 0 " + v.width + " " + v.height);
    svg.setAttribute("aria-hidden", "true");
    shapes.forEach(function (shape) {
      var mark;
      if (shape.type === "Point") {
        var c = point(v, shape.coordinates);
        mark = document.createElementNS(SVG, "circle");
        mark.setAttribute("cx", c[0]); mark.setAttribute("cy", c[1]); mark.setAttribute("r", 7);
      } else {
        mark = document.createElementNS(SVG, "path");
        mark.setAttribute("d", shape.coordinates.map(function (polygon) {
          return polygon.map(function (ring) { return "M" + ring.map(function (p) { return point(v, p).join(" "); }).join("L") + "Z"; }).join("");
        }).join(""));
      }
      mark.setAttribute("fill", "rgba(156,196,138,.45)");
      mark.setAttribute("stroke", "#2f6b2f");
      mark.setAttribute("stroke-width", 3);
      svg.appendChild(mark);
    });
    return svg;
  }

  function credit(data) {
    var link = document.createElement("a");
    link.className = "credit";
    link.href = data.creditUrl;
    link.textContent = data.credit;
    return link;
  }

  function start() {
    var box = document.getElementById("plot-map"), island = document.getElementById("plot-map-data");
    if (!box || !island) { return; }
    var data = JSON.parse(island.textContent), points = positions(data.shapes);
    if (!points.length || !data.tiles) { return; }
    var section = box.parentNode;
    box.hidden = false;  /* laid out (for its width) but invisible until the tiles are in */
    box.style.visibility = "hidden";
    var v = view(points, Math.min(box.clientWidth || 320, 1024), box.clientHeight || 240);
    addTiles(box, data.tiles, v, function (ok) {
      if (!ok) { box.parentNode.removeChild(box); return; }
      box.appendChild(overlay(v, data.shapes));
      box.appendChild(credit(data));
      box.style.visibility = "";
      section.classList.add("map-shown");
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
