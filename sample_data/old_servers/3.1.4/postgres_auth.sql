--
-- PostgreSQL database dump
--

-- Dumped from database version 16.2
-- Dumped by pg_dump version 16.2

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: alembic_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);


--
-- Name: experiment_permissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.experiment_permissions (
    id integer NOT NULL,
    experiment_id character varying(255) NOT NULL,
    user_id integer NOT NULL,
    permission character varying(255)
);


--
-- Name: experiment_permissions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.experiment_permissions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: experiment_permissions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.experiment_permissions_id_seq OWNED BY public.experiment_permissions.id;


--
-- Name: registered_model_permissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.registered_model_permissions (
    id integer NOT NULL,
    name character varying(255) NOT NULL,
    user_id integer NOT NULL,
    permission character varying(255)
);


--
-- Name: registered_model_permissions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.registered_model_permissions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: registered_model_permissions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.registered_model_permissions_id_seq OWNED BY public.registered_model_permissions.id;


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id integer NOT NULL,
    username character varying(255),
    password_hash character varying(255),
    is_admin boolean
);


--
-- Name: users_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.users_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: users_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;


--
-- Name: experiment_permissions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiment_permissions ALTER COLUMN id SET DEFAULT nextval('public.experiment_permissions_id_seq'::regclass);


--
-- Name: registered_model_permissions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_permissions ALTER COLUMN id SET DEFAULT nextval('public.registered_model_permissions_id_seq'::regclass);


--
-- Name: users id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);


--
-- Data for Name: alembic_version; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.alembic_version VALUES ('8606fa83a998');


--
-- Data for Name: experiment_permissions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.experiment_permissions VALUES (1, '1', 1, 'MANAGE');
INSERT INTO public.experiment_permissions VALUES (2, '2', 1, 'MANAGE');
INSERT INTO public.experiment_permissions VALUES (3, '1', 2, 'READ');
INSERT INTO public.experiment_permissions VALUES (4, '1', 3, 'EDIT');


--
-- Data for Name: registered_model_permissions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.registered_model_permissions VALUES (1, 'shared-model', 1, 'MANAGE');
INSERT INTO public.registered_model_permissions VALUES (2, 'shared-model', 2, 'READ');
INSERT INTO public.registered_model_permissions VALUES (3, 'shared-model', 3, 'EDIT');


--
-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.users VALUES (1, 'admin', 'scrypt:32768:8:1$8cgCHaqtLriQcVEY$97cd44f74c4c6fac8c716505cf1599099325ef98f79c1b21183b761ae60637ed43bc07fbee3f1efc15e6ae4ddad3bc3d11abc842d4d7be4bb1add95ebab476d8', true);
INSERT INTO public.users VALUES (2, 'reader', 'scrypt:32768:8:1$zJCfu86yAK69xQLi$a318a341da62094985b3b3a96f2c3d7292b7576c3278ff9d991b9ae2628dee8af32b7923042b09d4174885b1a15e0b71d62266e9477e575365c7f860acb35dfe', false);
INSERT INTO public.users VALUES (3, 'editor', 'scrypt:32768:8:1$5G6HkSWibaOBYguX$f55579c65f59b4159954f1cf5d0fa9523c83bb15f33c2b7ca6589386538c161de6aa00c6613086c0322723b7b77e673d6da678ef0e7c25dc6c1a0d8a43ccd7ae', false);


--
-- Name: experiment_permissions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.experiment_permissions_id_seq', 4, true);


--
-- Name: registered_model_permissions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.registered_model_permissions_id_seq', 3, true);


--
-- Name: users_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.users_id_seq', 3, true);


--
-- Name: alembic_version alembic_version_pkc; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);


--
-- Name: experiment_permissions experiment_permissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiment_permissions
    ADD CONSTRAINT experiment_permissions_pkey PRIMARY KEY (id);


--
-- Name: registered_model_permissions registered_model_permissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_permissions
    ADD CONSTRAINT registered_model_permissions_pkey PRIMARY KEY (id);


--
-- Name: experiment_permissions unique_experiment_user; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiment_permissions
    ADD CONSTRAINT unique_experiment_user UNIQUE (experiment_id, user_id);


--
-- Name: registered_model_permissions unique_name_user; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_permissions
    ADD CONSTRAINT unique_name_user UNIQUE (name, user_id);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: users users_username_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_username_key UNIQUE (username);


--
-- Name: experiment_permissions fk_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiment_permissions
    ADD CONSTRAINT fk_user_id FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: registered_model_permissions fk_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_permissions
    ADD CONSTRAINT fk_user_id FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- PostgreSQL database dump complete
--

