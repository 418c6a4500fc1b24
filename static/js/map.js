// Opt-in map. Without this script the "Show map" link simply leads to the directions page.
// With it, the link becomes a button, and only pressing that button loads Leaflet (from our
// own static files) and asks the tile server for anything: a visitor who never opens the
// map never tells a third party where they are looking.
(function () {
  "use strict";

  var loading = null; // one shared load of Leaflet, however many maps a page has
  var count = 0;

  function addOnce(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      Object.keys(attrs).forEach(function (name) {
        el.setAttribute(name, attrs[name]);
      });
      el.addEventListener("load", function () { resolve(); });
      el.addEventListener("error", function () { el.remove(); reject(new Error(tag)); });
      document.head.appendChild(el);
    });
  }

  function loadLeaflet(box) {
    if (window.L) {
      return Promise.resolve();
    }
    if (!loading) {
      // The stylesheet must be in place before the map is drawn, or its panes lay out
      // as plain boxes; so both are awaited.
      loading = Promise.all([
        addOnce("link", { rel: "stylesheet", href: box.getAttribute("data-leaflet-css") }),
        addOnce("script", { src: box.getAttribute("data-leaflet-js") }),
      ]).catch(function (error) {
        loading = null; // let a later press try again
        throw error;
      });
    }
    return loading;
  }

  function readMarkers(box) {
    var source = document.getElementById(box.getAttribute("data-map-data") || "map-data");
    if (!source) {
      return [];
    }
    try {
      var data = JSON.parse(source.textContent);
      return (Array.isArray(data) ? data : data.markers || []).filter(function (m) {
        return typeof m.lat === "number" && typeof m.lng === "number" &&
          isFinite(m.lat) && isFinite(m.lng);
      });
    } catch (e) {
      return [];
    }
  }

  function popup(marker, box) {
    var body = document.createElement("div");
    var name = document.createElement(marker.url ? "a" : "strong");
    name.textContent = marker.name || "";
    if (marker.url) {
      name.href = marker.url;
    }
    body.appendChild(name);
    if (marker.approximate) {
      var note = document.createElement("div");
      note.textContent = box.getAttribute("data-approximate-label") || "Approximate position";
      body.appendChild(note);
    }
    return body;
  }

  function attribution(box) {
    // Built as elements and serialised, so attribute text is never parsed as markup.
    var text = box.getAttribute("data-attribution") || "";
    var url = box.getAttribute("data-attribution-url");
    var holder = document.createElement("span");
    var part = document.createElement(url ? "a" : "span");
    part.textContent = text;
    if (url) {
      part.href = url;
    }
    holder.appendChild(part);
    return holder.innerHTML;
  }

  function defaultIcon(box) {
    // With hashed static file names Leaflet cannot guess its image paths from the CSS,
    // so the page hands us the real URLs when it has them.
    var icon = box.getAttribute("data-marker-icon");
    if (!icon) {
      return null;
    }
    return window.L.icon({
      iconUrl: icon,
      iconRetinaUrl: box.getAttribute("data-marker-icon-2x") || icon,
      shadowUrl: box.getAttribute("data-marker-shadow") || undefined,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41],
    });
  }

  function draw(box, canvas, markers) {
    var L = window.L;
    var map = L.map(canvas, { scrollWheelZoom: false });
    L.tileLayer(box.getAttribute("data-tiles"), {
      maxZoom: 19,
      attribution: attribution(box),
    }).addTo(map);
    var icon = defaultIcon(box);
    var points = markers.map(function (m) {
      var options = icon ? { icon: icon, title: m.name || "" } : { title: m.name || "" };
      L.marker([m.lat, m.lng], options).addTo(map).bindPopup(popup(m, box));
      return [m.lat, m.lng];
    });
    if (points.length === 1) {
      map.setView(points[0], markers[0].approximate ? 13 : 15);
    } else {
      map.fitBounds(points, { padding: [24, 24], maxZoom: 15 });
    }
    return map;
  }

  function enhance(box) {
    var link = box.querySelector("a[data-map-toggle]");
    var markers = readMarkers(box);
    if (!link || !markers.length || !box.getAttribute("data-tiles")) {
      return; // nothing to show: the plain link still works
    }
    var showLabel = link.textContent;
    var hideLabel = box.getAttribute("data-hide-label") || "Hide map";
    var canvas = document.createElement("div");
    canvas.className = "map-canvas";
    count += 1;
    canvas.id = "map-canvas-" + count;
    canvas.hidden = true;
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.textContent = showLabel;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", canvas.id);
    link.parentNode.replaceChild(button, link);
    box.appendChild(canvas);
    var map = null;

    button.addEventListener("click", function () {
      var opening = canvas.hidden;
      canvas.hidden = !opening;
      button.textContent = opening ? hideLabel : showLabel;
      button.setAttribute("aria-expanded", opening ? "true" : "false");
      if (!opening) {
        return;
      }
      if (map) {
        map.invalidateSize(); // it was measured while hidden
        return;
      }
      button.disabled = true;
      box.setAttribute("aria-busy", "true");
      loadLeaflet(box).then(function () {
        if (!canvas.offsetHeight) {
          canvas.style.height = "24rem"; // the site stylesheet normally sizes .map-canvas
        }
        map = draw(box, canvas, markers);
      }).catch(function () {
        // Put the original link back: the directions page is the way on from here.
        canvas.hidden = true;
        button.parentNode.replaceChild(link, button);
        canvas.remove();
      }).then(function () {
        button.disabled = false;
        box.removeAttribute("aria-busy");
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), enhance);
})();
