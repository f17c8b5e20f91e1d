// The map pin on the feedback form (issue 13 item 8), a progressive enhancement: the ward chooser
// and the address stay the primary fields and work without it. With Leaflet (vendored beside this
// file) the map appears; a click, or the "pin at the centre" button for keyboard users, sets the
// hidden lat/lon fields, which the server checks. Tiles come from the configured URL only; with
// none, or when they fail, the map still shows each ward's centre and its outline (bounding box)
// or approximate area, labelled as such. No inline script: the CSP allows this site's files only.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var box = document.getElementById("pin");
    var holder = document.getElementById("report-map");
    if (!box || !holder || typeof window.L === "undefined") return;
    var L = window.L;
    var latInput = document.getElementById("id_lat");
    var lonInput = document.getElementById("id_lon");
    var wardSelect = document.getElementById("id_ward");
    var status = document.getElementById("pin-status");
    var data = document.getElementById("map-wards");
    var wards = data ? JSON.parse(data.textContent) : [];
    var byCode = {};
    wards.forEach(function (w) { byCode[w.code] = w; });

    box.hidden = false;
    var unavailable = document.getElementById("map-unavailable");
    if (unavailable) unavailable.hidden = true;

    // Leaflet's own attribution control starts with a national flag since 1.9; a ward's map on
    // a state portal names the library and the tiles' source only (QA Q31).
    var map = L.map(holder, { zoomControl: true, attributionControl: false });
    L.control.attribution({ prefix: '<a href="https://leafletjs.com">Leaflet</a>' }).addTo(map);
    var tilesUrl = box.getAttribute("data-tiles-url");
    if (tilesUrl) {
      var failures = 0;
      var layer = L.tileLayer(tilesUrl, {
        maxZoom: 19,
        attribution: box.getAttribute("data-attribution") || "",
      });
      layer.on("tileerror", function () {
        failures += 1;
        if (failures === 3) {
          var note = document.getElementById("map-tiles-failed");
          if (note) note.hidden = false;
        }
      });
      layer.addTo(map);
    }

    // Each ward: its centre, and its outline (box) when the data has one, else its approximate
    // area (a disc of the same area, dashed), never drawn as a boundary.
    var shapes = {};
    var bounds = null;
    wards.forEach(function (w) {
      var shape;
      if (w.box) {
        shape = L.rectangle([[w.box[0], w.box[1]], [w.box[2], w.box[3]]], {
          weight: 1, color: "#505a5f", fill: false, interactive: false,
        });
      } else if (w.radius_km) {
        shape = L.circle([w.lat, w.lon], {
          radius: w.radius_km * 1000, weight: 1, color: "#505a5f", dashArray: "4 4",
          fill: false, interactive: false,
        });
      }
      if (shape) {
        shape.addTo(map);
        shapes[w.code] = shape;
      }
      L.circleMarker([w.lat, w.lon], {
        radius: 3, weight: 1, color: "#505a5f", fillOpacity: 0.8, interactive: false,
      }).addTo(map);
      var here = L.latLng(w.lat, w.lon);
      bounds = bounds ? bounds.extend(here) : L.latLngBounds(here, here);
    });

    var marker = null;
    function describe(lat, lon) {
      return box.getAttribute("data-pinned").replace("{lat}", lat).replace("{lon}", lon);
    }
    function place(latlng, announce) {
      var lat = latlng.lat.toFixed(6);
      var lon = latlng.lng.toFixed(6);
      latInput.value = lat;
      lonInput.value = lon;
      if (!marker) {
        marker = L.marker(latlng, {
          draggable: true,
          keyboard: false,
          icon: L.divIcon({ className: "map-pin", iconSize: [18, 18], iconAnchor: [9, 9] }),
        }).addTo(map);
        marker.on("dragend", function () { place(marker.getLatLng(), true); });
      } else {
        marker.setLatLng(latlng);
      }
      if (announce) status.textContent = describe(lat, lon);
    }
    function clear() {
      latInput.value = "";
      lonInput.value = "";
      if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
      status.textContent = box.getAttribute("data-unpinned");
    }
    function showWard(code) {
      var w = byCode[code];
      if (!w) return false;
      var shape = shapes[w.code];
      if (shape && shape.getBounds) map.fitBounds(shape.getBounds(), { maxZoom: 16 });
      else map.setView([w.lat, w.lon], 15);
      Object.keys(shapes).forEach(function (c) {
        shapes[c].setStyle({ weight: c === code ? 3 : 1, color: c === code ? "#0b5cab" : "#505a5f" });
      });
      return true;
    }

    map.on("click", function (e) { place(e.latlng, true); });
    document.getElementById("pin-centre").addEventListener("click", function () {
      place(map.getCenter(), true);
    });
    document.getElementById("pin-clear").addEventListener("click", clear);
    if (wardSelect) {
      wardSelect.addEventListener("change", function () { showWard(wardSelect.value); });
    }

    var lat0 = parseFloat(latInput.value);
    var lon0 = parseFloat(lonInput.value);
    if (isFinite(lat0) && isFinite(lon0)) {
      // After a refused try the pin comes back where it was.
      map.setView([lat0, lon0], 16);
      place(L.latLng(lat0, lon0), true);
    } else if (!(wardSelect && showWard(wardSelect.value))) {
      if (bounds) map.fitBounds(bounds);
      else map.setView([21.0278, 105.8342], 11);
    }
  });
})();
