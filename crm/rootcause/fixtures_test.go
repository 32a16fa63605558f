package rootcause

import (
	"bufio"
	"encoding/json"
	"os"
)

// sampleTexts stand in for the shared data in benchmarks when it is absent.
var sampleTexts = []string{
	"Груз прибыл с опозданием на 5 дней, поставка сорвала график монтажа.",
	"В двух коробках из десяти недостача: вместо 50 шт пришло 45.",
	"Упаковка не повреждена, но внутри корпус треснул, изделие не включается.",
	"The pallet arrived crushed and two cartons were dented; damage noted on the BOL.",
	"We were invoiced at the old list price, not the contract price agreed in March.",
	"Shipment was delivered 3 days late and our line sat idle.",
}

func loadClaimsOrNil(name string) []claim {
	f, err := os.Open(dataPath("claims", name))
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []claim
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c claim
		if json.Unmarshal(sc.Bytes(), &c) == nil {
			out = append(out, c)
		}
	}
	return out
}
