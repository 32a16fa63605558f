package crm

import (
	"slices"

	"github.com/crmkit/crmkit/internal/lang"
)

// label is the English and Russian name of an enum value.
type label struct{ en, ru string }

// enum describes a string enum: its values in order and their names.
type enum[T ~string] struct {
	values []T
	labels map[T]label
}

func newEnum[T ~string](pairs ...struct {
	v T
	l label
}) enum[T] {
	e := enum[T]{labels: make(map[T]label, len(pairs))}
	for _, p := range pairs {
		e.values = append(e.values, p.v)
		e.labels[p.v] = p.l
	}
	return e
}

func (e enum[T]) valid(v T) bool { _, ok := e.labels[v]; return ok }

func (e enum[T]) name(v T, tag string) string {
	l, ok := e.labels[v]
	if !ok {
		return string(v)
	}
	return lang.Pick(tag, l.en, l.ru)
}

func (e enum[T]) all() []T { return slices.Clone(e.values) }

func ev[T ~string](v T, en, ru string) struct {
	v T
	l label
} {
	return struct {
		v T
		l label
	}{v, label{en, ru}}
}

// ClientKind is the legal kind of a counterparty.
type ClientKind string

// Client kinds.
const (
	KindCompany        ClientKind = "company"         // юридическое лицо
	KindSoleProprietor ClientKind = "sole_proprietor" // индивидуальный предприниматель
	KindIndividual     ClientKind = "individual"      // физическое лицо
)

var clientKinds = newEnum(
	ev(KindCompany, "company", "юридическое лицо"),
	ev(KindSoleProprietor, "sole proprietor", "индивидуальный предприниматель"),
	ev(KindIndividual, "individual", "физическое лицо"),
)

// Valid reports whether k is a defined kind.
func (k ClientKind) Valid() bool { return clientKinds.valid(k) }

// Name returns the kind's name in the language of tag.
func (k ClientKind) Name(tag string) string { return clientKinds.name(k, tag) }

// Tier is how valuable the client is to the business; key and VIP clients
// get special terms and a tighter contact cadence.
type Tier string

// Tiers.
const (
	TierStandard Tier = "standard"
	TierKey      Tier = "key"
	TierVIP      Tier = "vip"
)

var tiers = newEnum(
	ev(TierStandard, "standard", "стандартный"),
	ev(TierKey, "key", "ключевой"),
	ev(TierVIP, "VIP", "VIP"),
)

// Valid reports whether t is a defined tier.
func (t Tier) Valid() bool { return tiers.valid(t) }

// Name returns the tier's name in the language of tag.
func (t Tier) Name(tag string) string { return tiers.name(t, tag) }

// Source is the channel a client first came from.
type Source string

// Lead sources.
const (
	SourceColdCall      Source = "cold_call"
	SourceExhibition    Source = "exhibition"
	SourceReferral      Source = "referral"
	SourceWebsite       Source = "website"
	SourceAdvertising   Source = "advertising"
	SourceSocialNetwork Source = "social_network"
	SourceIncomingCall  Source = "incoming_call"
	SourceOther         Source = "other"
)

var sources = newEnum(
	ev(SourceColdCall, "cold call", "холодный звонок"),
	ev(SourceExhibition, "exhibition", "выставка"),
	ev(SourceReferral, "referral", "рекомендация"),
	ev(SourceWebsite, "website", "сайт"),
	ev(SourceAdvertising, "advertising", "реклама"),
	ev(SourceSocialNetwork, "social network", "социальная сеть"),
	ev(SourceIncomingCall, "incoming call", "входящий звонок"),
	ev(SourceOther, "other", "другое"),
)

// Valid reports whether s is a defined source.
func (s Source) Valid() bool { return sources.valid(s) }

// Name returns the source's name in the language of tag.
func (s Source) Name(tag string) string { return sources.name(s, tag) }

// SizeBand is the client's size by headcount, in the bands of Russian
// small-business law (up to 15, 100, 250, above).
type SizeBand string

// Size bands.
const (
	SizeMicro  SizeBand = "micro"  // up to 15 employees
	SizeSmall  SizeBand = "small"  // 16–100
	SizeMedium SizeBand = "medium" // 101–250
	SizeLarge  SizeBand = "large"  // more than 250
)

var sizeBands = newEnum(
	ev(SizeMicro, "micro (up to 15 employees)", "микропредприятие (до 15 сотрудников)"),
	ev(SizeSmall, "small (16–100)", "малое (16–100)"),
	ev(SizeMedium, "medium (101–250)", "среднее (101–250)"),
	ev(SizeLarge, "large (over 250)", "крупное (более 250)"),
)

// Valid reports whether b is a defined band.
func (b SizeBand) Valid() bool { return sizeBands.valid(b) }

// Name returns the band's name in the language of tag.
func (b SizeBand) Name(tag string) string { return sizeBands.name(b, tag) }

// AddressKind says what an address is used for.
type AddressKind string

// Address kinds.
const (
	AddressLegal    AddressKind = "legal"    // юридический адрес
	AddressPostal   AddressKind = "postal"   // почтовый
	AddressDelivery AddressKind = "delivery" // адрес доставки
	AddressOffice   AddressKind = "office"   // фактический / офис
)

var addressKinds = newEnum(
	ev(AddressLegal, "legal address", "юридический адрес"),
	ev(AddressPostal, "postal address", "почтовый адрес"),
	ev(AddressDelivery, "delivery address", "адрес доставки"),
	ev(AddressOffice, "office", "фактический адрес"),
)

// Valid reports whether k is a defined kind.
func (k AddressKind) Valid() bool { return addressKinds.valid(k) }

// BuyingRole is a contact's part in the client's buying decisions.
type BuyingRole string

// Buying roles.
const (
	RoleDecisionMaker BuyingRole = "decision_maker" // ЛПР
	RoleInfluencer    BuyingRole = "influencer"     // ЛВР
	RoleUser          BuyingRole = "user"
	RoleGatekeeper    BuyingRole = "gatekeeper"
	RoleAccountant    BuyingRole = "accountant"
)

var buyingRoles = newEnum(
	ev(RoleDecisionMaker, "decision maker", "лицо, принимающее решение"),
	ev(RoleInfluencer, "influencer", "лицо, влияющее на решение"),
	ev(RoleUser, "user", "пользователь"),
	ev(RoleGatekeeper, "gatekeeper", "секретарь / привратник"),
	ev(RoleAccountant, "accountant", "бухгалтер"),
)

// Valid reports whether r is a defined role.
func (r BuyingRole) Valid() bool { return buyingRoles.valid(r) }

// Name returns the role's name in the language of tag.
func (r BuyingRole) Name(tag string) string { return buyingRoles.name(r, tag) }

// Channel is a way of reaching a contact.
type Channel string

// Channels.
const (
	ChannelPhone     Channel = "phone"
	ChannelEmail     Channel = "email"
	ChannelMessenger Channel = "messenger"
	ChannelVisit     Channel = "visit"
	ChannelLetter    Channel = "letter"
	ChannelFax       Channel = "fax"
	ChannelSocial    Channel = "social"
)

var channels = newEnum(
	ev(ChannelPhone, "phone", "телефон"),
	ev(ChannelEmail, "e-mail", "электронная почта"),
	ev(ChannelMessenger, "messenger", "мессенджер"),
	ev(ChannelVisit, "visit", "личная встреча"),
	ev(ChannelLetter, "letter", "письмо"),
	ev(ChannelFax, "fax", "факс"),
	ev(ChannelSocial, "social network", "социальная сеть"),
)

// Valid reports whether c is a defined channel.
func (c Channel) Valid() bool { return channels.valid(c) }

// Name returns the channel's name in the language of tag.
func (c Channel) Name(tag string) string { return channels.name(c, tag) }

// MessengerKind is a messaging service.
type MessengerKind string

// Messenger kinds.
const (
	MessengerTelegram MessengerKind = "telegram"
	MessengerWhatsApp MessengerKind = "whatsapp"
	MessengerViber    MessengerKind = "viber"
	MessengerMax      MessengerKind = "max"
	MessengerWeChat   MessengerKind = "wechat"
	MessengerSkype    MessengerKind = "skype"
	MessengerOther    MessengerKind = "other"
)

var messengerKinds = newEnum(
	ev(MessengerTelegram, "Telegram", "Telegram"),
	ev(MessengerWhatsApp, "WhatsApp", "WhatsApp"),
	ev(MessengerViber, "Viber", "Viber"),
	ev(MessengerMax, "MAX", "MAX"),
	ev(MessengerWeChat, "WeChat", "WeChat"),
	ev(MessengerSkype, "Skype", "Skype"),
	ev(MessengerOther, "other", "другой"),
)

// Valid reports whether k is a defined messenger.
func (k MessengerKind) Valid() bool { return messengerKinds.valid(k) }
