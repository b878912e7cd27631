// The console's only script: no inline script and no eval anywhere (the Content-Security-Policy forbids both).
// It sends the CSRF token with htmx's requests, moves focus to what changed, draws the map, relays live updates
// to the parts of a page that show them, gives the queue its keyboard shortcuts, and takes the catalog editor to
// the line an error names.
(function () {
    'use strict';

    function meta(name) {
        var element = document.querySelector('meta[name="' + name + '"]');
        return element ? element.getAttribute('content') : null;
    }

    // --- CSRF: every htmx request carries the token in the header Spring Security reads ---------------------
    document.addEventListener('htmx:configRequest', function (event) {
        var header = meta('csrf-header');
        var token = meta('csrf-token');
        if (header && token) {
            event.detail.headers[header] = token;
        }
    });

    // --- focus follows the change: a result, an error summary, the first question of a service -------------
    document.addEventListener('htmx:afterSwap', function (event) {
        var target = event.detail.target;
        if (target.hasAttribute('data-quiet-load')) {
            // a part loaded with its page (the work panel on a request's page) leaves the focus where it is
            target.removeAttribute('data-quiet-load');
            return;
        }
        var focus = target.querySelector('[data-focus]');
        if (focus) {
            if (!focus.hasAttribute('tabindex') && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(focus.tagName)) {
                focus.setAttribute('tabindex', '-1');
            }
            focus.focus();
        }
        if (target.id === 'service') {
            pointSet();
        }
    });

    // --- the catalog editor: "Line 12" beside an error selects that line in the YAML and scrolls to it ------
    function showLine(editor, number) {
        var lines = editor.value.split('\n');
        var start = 0;
        for (var i = 0; i < number - 1 && i < lines.length; i++) {
            start += lines[i].length + 1;
        }
        var line = lines[Math.min(number, lines.length) - 1] || '';
        editor.focus();
        editor.setSelectionRange(start, start + line.length);
        var height = parseFloat(window.getComputedStyle(editor).lineHeight) || 20;
        editor.scrollTop = Math.max(0, (number - 5) * height);
    }

    document.addEventListener('click', function (event) {
        var lineLink = event.target.closest('button[data-line]');
        if (lineLink) {
            var editor = document.getElementById('yaml');
            if (editor) {
                showLine(editor, parseInt(lineLink.getAttribute('data-line'), 10));
            }
            return;
        }
        var reload = event.target.closest('a.reload');
        if (reload) {
            event.preventDefault();
            window.location.reload();
        }
    });

    // --- take a call: Enter in the directory search takes the first match instead of filing the form --------
    document.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' && event.target.id === 'directory-search') {
            event.preventDefault();
            var first = document.getElementById('first-hit');
            if (first) {
                first.click();
            }
        }
    });

    function pointSet() {
        var latitude = document.getElementById('latitude');
        var longitude = document.getElementById('longitude');
        if (latitude && longitude && latitude.value && longitude.value) {
            showDistrict(parseFloat(latitude.value), parseFloat(longitude.value));
            document.body.dispatchEvent(new CustomEvent('point-set'));
        }
    }

    document.addEventListener('change', function (event) {
        if (event.target.id === 'latitude' || event.target.id === 'longitude') {
            pointSet();
            placeMarker();
        }
    });

    // --- the map: district outlines from the catalog, a click sets the point --------------------------------
    var districts = null;
    var map = null;
    var marker = null;

    function inside(point, ring) {
        // Ray casting over one GeoJSON ring ([longitude, latitude] pairs).
        var x = point[0], y = point[1], isInside = false;
        for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
            var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
            if (((yi > y) !== (yj > y)) && (x < (xj - xi) * (y - yi) / (yj - yi) + xi)) {
                isInside = !isInside;
            }
        }
        return isInside;
    }

    function districtAt(latitude, longitude) {
        if (!districts) {
            return null;
        }
        var point = [longitude, latitude];
        for (var f = 0; f < districts.features.length; f++) {
            var feature = districts.features[f];
            var geometry = feature.geometry;
            var polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
            for (var p = 0; p < polygons.length; p++) {
                var rings = polygons[p];
                if (inside(point, rings[0]) && !rings.slice(1).some(function (hole) { return inside(point, hole); })) {
                    return feature.properties.name || feature.properties.code;
                }
            }
        }
        return null;
    }

    function showDistrict(latitude, longitude) {
        var out = document.getElementById('district');
        if (!out) {
            return;
        }
        var name = districtAt(latitude, longitude);
        out.textContent = name ? 'District: ' + name : (districts ? 'Outside every district of the city' : '');
    }

    function placeMarker() {
        if (!map) {
            return;
        }
        var latitude = parseFloat(document.getElementById('latitude').value);
        var longitude = parseFloat(document.getElementById('longitude').value);
        if (isNaN(latitude) || isNaN(longitude)) {
            return;
        }
        if (marker) {
            marker.setLatLng([latitude, longitude]);
        } else {
            marker = window.L.circleMarker([latitude, longitude], { radius: 8, color: '#b00020', weight: 3 }).addTo(map);
        }
    }

    function startMap(element) {
        if (!window.L) {
            return;
        }
        var L = window.L;
        map = L.map(element, { keyboard: true, attributionControl: !!element.dataset.tiles });
        if (element.dataset.tiles) {
            L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution || '' }).addTo(map);
        }
        map.setView([40.7, -73.95], 10);
        fetch(element.dataset.districts, { credentials: 'same-origin' }).then(function (response) {
            return response.ok ? response.json() : null;
        }).then(function (collection) {
            if (!collection) {
                return;
            }
            districts = collection;
            var layer = L.geoJSON(collection, {
                style: function () { return { color: '#1f4e79', weight: 2, fillOpacity: 0.05 }; },
                onEachFeature: function (feature, shape) {
                    shape.bindTooltip(feature.properties.name || feature.properties.code);
                }
            }).addTo(map);
            if (layer.getBounds().isValid()) {
                map.fitBounds(layer.getBounds());
            }
            var markers = element.dataset.markers ? JSON.parse(element.dataset.markers) : [];
            markers.forEach(function (one) {
                L.circleMarker([one.lat, one.lon], { radius: 6, color: '#8a4b00', weight: 2 })
                    .bindTooltip(one.label).addTo(map);
            });
        });
        if (element.dataset.readonly === undefined) {
            map.on('click', function (event) {
                document.getElementById('latitude').value = event.latlng.lat.toFixed(6);
                document.getElementById('longitude').value = event.latlng.lng.toFixed(6);
                placeMarker();
                pointSet();
            });
        }
    }

    // --- live updates: one stream per page, relayed by the console from one upstream stream per person -----
    function startLive() {
        var source = document.querySelector('[data-live-source]');
        if (!source || !window.EventSource) {
            return;
        }
        var events = new EventSource(source.getAttribute('data-live-source'));
        events.onmessage = function (message) {
            var change;
            try {
                change = JSON.parse(message.data);
            } catch (notJson) {
                return;
            }
            document.querySelectorAll('[data-live]').forEach(function (element) {
                var follows = element.getAttribute('data-live');
                if (follows === '*' || follows === change.requestId) {
                    window.htmx.trigger(element, 'live');
                }
            });
        };
    }

    // --- the queue: j/k move between items, Enter (or o) opens one; the action keys are on each item's buttons
    document.addEventListener('keydown', function (event) {
        if (event.target.closest('input, textarea, select') || event.ctrlKey || event.metaKey || event.altKey) {
            return;
        }
        var rows = Array.prototype.slice.call(document.querySelectorAll('[data-queue-item]'));
        if (!rows.length) {
            return;
        }
        var current = rows.indexOf(document.activeElement.closest('[data-queue-item]'));
        if (event.key === 'j' || event.key === 'k') {
            event.preventDefault();
            var next = event.key === 'j' ? Math.min(rows.length - 1, current + 1) : Math.max(0, current - 1);
            rows[next].focus();
        } else if (current >= 0 && event.key === 'Enter' && event.target === rows[current]) {
            event.preventDefault();
            var open = rows[current].querySelector('[data-key="o"]');
            if (open) {
                open.click();
            }
        } else if (current >= 0 && event.key.length === 1) {
            var button = rows[current].querySelector('[data-key="' + event.key + '"]');
            if (button) {
                event.preventDefault();
                button.click();
            }
        }
    });

    document.addEventListener('DOMContentLoaded', function () {
        var element = document.getElementById('map');
        if (element) {
            startMap(element);
        }
        startLive();
    });
}());
