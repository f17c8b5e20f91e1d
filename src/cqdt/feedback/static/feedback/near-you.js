// "Near you" on the public feedback list: the "use my location" button asks the browser for the
// position (only with the person's consent) and sends it as ?near=lat,lon. Without JavaScript or
// permission the position can be typed in, or the list filtered by ward.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("near-me");
    var input = document.getElementById("q-near");
    var form = document.getElementById("near-form");
    if (!button || !input || !form || !navigator.geolocation) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(
        function (position) {
          input.value = position.coords.latitude.toFixed(6) + "," + position.coords.longitude.toFixed(6);
          form.submit();
        },
        function () {
          var error = document.getElementById("near-geo-error");
          if (error) error.hidden = false;
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  });
})();
