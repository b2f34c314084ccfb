package seed

import (
	"strings"
	"testing"
)

func TestCountries(t *testing.T) {
	cs, err := Countries()
	if err != nil {
		t.Fatal(err)
	}
	parents := map[string]string{}
	for _, c := range cs {
		parents[c.Code] = c.ParentCode
	}
	want := map[string]string{"DK": "", "FI": "", "IS": "", "NO": "", "SE": "", "FO": "DK", "GL": "DK", "AX": "FI"}
	if len(parents) != len(want) || len(cs) != len(want) {
		t.Fatalf("got %d countries %v, want %v", len(cs), parents, want)
	}
	for code, parent := range want {
		if got, ok := parents[code]; !ok || got != parent {
			t.Errorf("%s: parent %q (present %v), want %q", code, got, ok, parent)
		}
	}
}

func TestParseCountriesRejects(t *testing.T) {
	header := "code,name,local_names,kind,parent\n"
	tests := map[string]string{
		"duplicate":      header + "SE,Sweden,,COUNTRY,\nSE,Sweden,,COUNTRY,\n",
		"unknown parent": header + "AX,Åland,,AUTONOMOUS_TERRITORY,FI\n",
		"bad kind":       header + "SE,Sweden,,KINGDOM,\n",
		"bad header":     "code,name\nSE,Sweden\n",
		"short row":      header + "SE,Sweden\n",
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := parseCountries([]byte(data)); err == nil {
				t.Fatal("want an error")
			} else if name == "duplicate" && !strings.Contains(err.Error(), "line 3") {
				t.Fatalf("error %q does not name line 3", err)
			}
		})
	}
}
