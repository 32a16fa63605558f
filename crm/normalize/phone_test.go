package normalize

import (
	"regexp"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var e164RE = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)

func TestPhoneValid(t *testing.T) {
	tests := []struct {
		name, in, region, want string
	}{
		{"ru international", "+7 916 123-45-67", "RU", "+79161234567"},
		{"ru with 8 and brackets", "8 (916) 123-45-67", "RU", "+79161234567"},
		{"ru 8 compact", "89161234567", "RU", "+79161234567"},
		{"ru without prefix", "9161234567", "RU", "+79161234567"},
		{"ru 7 without plus", "7 916 123 45 67", "RU", "+79161234567"},
		{"ru dots", "8.916.123.45.67", "RU", "+79161234567"},
		{"ru default region constant", "8 (916) 123-45-67", DefaultRegion, "+79161234567"},
		{"ru lower-case region", "8 (916) 123-45-67", "ru", "+79161234567"},
		{"ru region with spaces", "8 (916) 123-45-67", " RU ", "+79161234567"},
		{"ru plus no region", "+7 916 123-45-67", "", "+79161234567"},
		{"ru plus ZZ", "+7 916 123-45-67", "ZZ", "+79161234567"},
		{"ru moscow landline", "8 (495) 123-45-67", "RU", "+74951234567"},
		{"ru toll free", "8 800 555-35-35", "RU", "+78005553535"},
		{"ru nbsp", "\u00a0+7\u00a0916\u00a0123\u00a045\u00a067\u00a0", "RU", "+79161234567"},
		{"ru thin spaces", "\u2009+7\u2009916\u2009123-45-67", "RU", "+79161234567"},
		{"ru tabs", "\t+7\t916\t1234567\n", "RU", "+79161234567"},
		{"ru fullwidth digits", "８９１６１２３４５６７", "RU", "+79161234567"},
		{"ru extension dob", "+7 916 123-45-67 доб. 123", "RU", "+79161234567"},
		{"ru extension ext", "+7 (495) 123-45-67 ext. 12", "RU", "+74951234567"},
		{"ru extension hash", "+7 916 123-45-67 #12", "", "+79161234567"},
		{"ru extension rfc3966", "+7-916-123-45-67;ext=12", "", "+79161234567"},
		{"tel uri", "tel:+7-916-123-45-67", "", "+79161234567"},
		{"tel uri upper", "TEL:+79161234567", "", "+79161234567"},
		{"us from ru", "+1 650 253 0000", "RU", "+16502530000"},
		{"us national", "(650) 253-0000", "US", "+16502530000"},
		{"de national", "030 123456", "DE", "+4930123456"},
		{"de international", "+49 30 123456", "", "+4930123456"},
		{"de idd 00", "00 49 30 123456", "DE", "+4930123456"},
		{"ru idd 810", "8 10 49 30 123456", "RU", "+4930123456"},
		{"gb", "+44 20 7946 0958", "", "+442079460958"},
		{"ua", "+380 44 123 4567", "", "+380441234567"},
		{"by", "+375 29 123-45-67", "", "+375291234567"},
		{"kz mobile national", "8 (701) 123-45-67", "KZ", "+77011234567"},
		{"already e164", "+79161234567", "DE", "+79161234567"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Phone(tt.in, tt.region)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Regexp(t, e164RE, got)
			again, err := Phone(got, tt.region)
			require.NoError(t, err)
			assert.Equal(t, got, again, "idempotent")
			again, err = Phone(got, "")
			require.NoError(t, err)
			assert.Equal(t, got, again, "E.164 needs no region")
		})
	}
}

func TestPhoneInvalid(t *testing.T) {
	tests := []struct {
		name, in, region string
		want             Reason
	}{
		{"empty", "", "RU", ReasonEmpty},
		{"spaces", " \t\u00a0 ", "RU", ReasonEmpty},
		{"too long", strings.Repeat("1", 65), "RU", ReasonTooLong},
		{"too long with spaces", "+7 916 123 45 67" + strings.Repeat(" ", 60), "RU", ReasonTooLong},
		{"huge", strings.Repeat("8", 1<<20), "RU", ReasonTooLong},
		{"invalid utf8", "+7 916 \xff123-45-67", "RU", ReasonInvalidUTF8},
		{"short", "123", "RU", ReasonBadPhone},
		{"letters", "abc", "RU", ReasonBadPhone},
		{"letters and digits", "+7 916 abc-45-67", "RU", ReasonBadPhone},
		{"trailing x", "+7 916 123 45 67 x", "RU", ReasonBadPhone},
		{"label", "тел. +7 916 123-45-67", "RU", ReasonBadPhone},
		{"vanity", "1-800-FLOWERS", "US", ReasonBadPhone},
		{"ru zeros", "+7 000", "RU", ReasonBadPhone},
		{"ru too many digits", "+7 916 123-45-67-89-00", "RU", ReasonBadPhone},
		{"ru possible but not valid", "+7 100 123-45-67", "RU", ReasonBadPhone},
		{"unknown country code", "+999 123 456", "", ReasonBadPhone},
		{"only plus", "+", "RU", ReasonBadPhone},
		{"only punctuation", "()-", "RU", ReasonBadPhone},
		{"no plus no region", "89161234567", "", ReasonBadRegion},
		{"no plus ZZ", "89161234567", "ZZ", ReasonBadRegion},
		{"no plus zz lower", "8 (916) 123-45-67", "zz", ReasonBadRegion},
		{"unknown region", "89161234567", "XX", ReasonBadRegion},
		{"unknown region with plus", "+79161234567", "XX", ReasonBadRegion},
		{"alpha-3 region", "89161234567", "RUS", ReasonBadRegion},
		{"region name", "89161234567", "Russia", ReasonBadRegion},
		{"non-geo 001", "+800 1234 5678", "001", ReasonBadRegion},
		{"idd without region", "00 49 30 123456", "", ReasonBadRegion},
		{"longer than e164 via idd", "004980000000000000", "AC", ReasonBadPhone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Phone(tt.in, tt.region)
			require.Error(t, err)
			assert.Empty(t, got)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.want, e.Reason, e.Error())
			assert.Equal(t, FieldPhone, e.Field)
		})
	}
}

// The library's German metadata accepts some numbers that are longer than
// E.164 allows (found by FuzzPhone); Phone rejects them.
func TestPhoneLongerThanE164(t *testing.T) {
	n, err := phonenumbers.Parse("+4980000000000000", "")
	require.NoError(t, err)
	require.True(t, phonenumbers.IsValidNumber(n), "library considers it valid")
	require.Equal(t, "+4980000000000000", phonenumbers.Format(n, phonenumbers.E164))

	_, err = Phone("+4980000000000000", "")
	assert.Equal(t, ReasonBadPhone, ReasonOf(err))
}

func TestPhoneRegionCheckedAfterEmptiness(t *testing.T) {
	_, err := Phone("", "XX")
	assert.Equal(t, ReasonEmpty, ReasonOf(err))
}

func TestPhoneConcurrent(t *testing.T) {
	done := make(chan struct{})
	for i := 0; i < 8; i++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for j := 0; j < 50; j++ {
				got, err := Phone("8 (916) 123-45-67", "RU")
				if err != nil || got != "+79161234567" {
					t.Errorf("got %q, %v", got, err)
					return
				}
			}
		}()
	}
	for i := 0; i < 8; i++ {
		<-done
	}
}
