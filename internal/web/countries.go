package web

import "net/http"

// countries lists the Nordic countries and territories with their regions, each a way into its
// municipalities and organisations.
func (a *App) countries(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	data, err := a.run(r.Context(), "Countries", nil)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	regions := map[string][]map[string]any{}
	for _, reg := range list(data, "regions") {
		code, _ := object(reg, "country")["code"].(string)
		regions[code] = append(regions[code], reg)
	}
	a.render(w, r, http.StatusOK, "countries", "countries", l.T("countries.title"), map[string]any{
		"Countries": list(data, "countries"), "Regions": regions})
}
